/** Strings of the member card and its check. French first. */
export const fr = {
  'members.card.title': 'Ma carte d’adhérent',
  'members.card.kind': 'Carte d’adhérent',
  'members.card.number': 'N° d’adhérent',
  'members.card.plan': 'Formule',
  'members.card.validity': 'Validité',
  'members.card.validUntil': 'Jusqu’au {date}',
  'members.card.noValidity': 'Pas encore de cotisation',
  'members.card.status': 'Statut',
  'members.card.qrLabel': 'QR code du lien de vérification de la carte',
  'members.card.printHint': 'Imprimez cette page (format A4) ou montrez-la sur votre téléphone : le QR code mène à une page qui indique seulement si la carte est valide.',
  'members.verify.title': 'Vérification d’une carte d’adhérent',
  'members.verify.valid': 'Valide jusqu’au {date}',
  'members.verify.invalid': 'Non valide',
};

export const en: Record<keyof typeof fr, string> = {
  'members.card.title': 'My membership card',
  'members.card.kind': 'Membership card',
  'members.card.number': 'Member no.',
  'members.card.plan': 'Plan',
  'members.card.validity': 'Validity',
  'members.card.validUntil': 'Until {date}',
  'members.card.noValidity': 'No dues yet',
  'members.card.status': 'Status',
  'members.card.qrLabel': 'QR code of the card’s verification link',
  'members.card.printHint': 'Print this page (A4) or show it on your phone: the QR code leads to a page that only says whether the card is valid.',
  'members.verify.title': 'Membership card check',
  'members.verify.valid': 'Valid until {date}',
  'members.verify.invalid': 'Not valid',
};
