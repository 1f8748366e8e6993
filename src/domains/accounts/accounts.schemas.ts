/** One schema per use case. Messages are i18n keys, shown next to the field. */
import { z } from 'zod';
import type { Role } from '../../db/schema.js';
import { ALL_ROLES } from './accounts.policy.js';

const COMMON_PASSWORDS = new Set([
  'motdepasse', 'motdepasse1', 'motdepasse123', 'password', 'password1', 'password123', '1234567890', '123456789a',
  'azertyuiop', 'azerty1234', 'qwertyuiop', 'soleil1234', 'bonjour123', 'gers123456', 'azerty123456', '0123456789',
]);

export const email = z
  .string({ error: 'errors.required' })
  .trim()
  .toLowerCase()
  .min(1, 'errors.required')
  .max(254, 'errors.too_long')
  .pipe(z.email({ error: 'errors.email' }));

export const newPassword = z
  .string({ error: 'errors.required' })
  .min(1, 'errors.required')
  .min(10, 'accounts.password.tooShort')
  .max(200, 'accounts.password.tooLong')
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()) && new Set(p).size >= 5, 'accounts.password.tooCommon');

const displayName = z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(120, 'errors.too_long');
const locale = z.enum(['fr', 'en']).catch('fr');

export const SignUpInput = z
  .object({ email, displayName, password: newPassword, locale })
  .refine((v) => !v.password.toLowerCase().includes(v.email.split('@')[0]) || v.email.split('@')[0].length < 4, {
    path: ['password'],
    message: 'accounts.password.containsEmail',
  });
export type SignUpInput = z.infer<typeof SignUpInput>;

export const LogInInput = z.object({
  email,
  password: z.string({ error: 'errors.required' }).min(1, 'errors.required').max(200, 'errors.too_long'),
});

export const RequestResetInput = z.object({ email });

export const ResetPasswordInput = z.object({ token: z.string().min(10).max(200), password: newPassword });

export const ChangePasswordInput = z.object({
  currentPassword: z.string({ error: 'errors.required' }).min(1, 'errors.required').max(200),
  password: newPassword,
});

export const UpdateProfileInput = z.object({ displayName, locale });

const role = z.enum(ALL_ROLES as [Role, ...Role[]]);
const roleList = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(role));

export const InviteInput = z.object({
  email,
  roles: roleList.pipe(z.array(role).min(1, 'accounts.invite.rolesRequired')),
});

export const SetRolesInput = z.object({ roles: roleList });

export const AcceptInvitationInput = z.object({ token: z.string().min(10).max(200), displayName, password: newPassword });
