# Mots communs aux canaux de la famille SMS (mode page, mode session, MMS).
sms-type-before-sending = Écrivez une réponse avant d’envoyer.
sms-not-sent = La réponse n’a pas été envoyée : { $reason }
sms-one-reply-only = Cette interaction n’accepte qu’une réponse, déjà envoyée.
sms-mark-done = Marquer comme terminé
sms-consult = Consulter
sms-consult-tooltip = Interroger un collègue par message instantané, dans cette interaction
sms-consult-ended = La conversation est terminée
sms-customer-language = Langue du client : { $language }
sms-disposition = Disposition : { $label }
sms-hours = { $count ->
    [one] 1 heure
   *[other] { $count } heures
}
sms-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}
sms-seconds = { $count ->
    [one] 1 seconde
   *[other] { $count } secondes
}
sms-transfer = Transférer
sms-transfer-to-contact = { $name } est un contact ; transférez à un agent, une file, une compétence, un groupe ou un point de routage.
sms-transfer-requested = Transfert à { $name } demandé.
sms-transfer-not-requested = Le transfert à { $name } n’a pas été demandé : { $reason }
sms-transfer-accepted = { $name } a accepté le transfert.
sms-transfer-rejected = { $name } a refusé le transfert.
sms-transfer-rejected-because = { $name } a refusé le transfert : { $reason }
sms-transfer-unanswered-interaction = { $name } n’a pas répondu au transfert à temps ; l’interaction reste avec vous.
sms-transfer-unanswered-session = { $name } n’a pas répondu au transfert à temps ; la session reste avec vous.
