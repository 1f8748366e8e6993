/** Forms of the privacy part: each destructive step asks for a ticked confirmation box. */
import { z } from 'zod';

const ticked = (message: string) => z.preprocess((v) => (v === '1' || v === 'on' ? true : undefined), z.literal(true, { message }));

export const DeletionRequestForm = z.object({ confirm: ticked('newcomers.privacy.confirm.required') });
export const AnonymiseForm = z.object({ confirmAnonymise: ticked('newcomers.privacy.staff.confirmRequired') });
