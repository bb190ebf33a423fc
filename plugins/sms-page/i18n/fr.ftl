# SMS en mode page : un SMS entrant, une réponse.
channel-name = SMS
page-subtitle = SMS entrant · mode page
page-earlier = { $count ->
    [one] 1 conversation précédente
   *[other] { $count } conversations précédentes
}
page-spelling = { $count ->
    [one] Orthographe : 1 mot à vérifier
   *[other] Orthographe : { $count } mots à vérifier
}
page-callback-scheduled = Rappel planifié
page-reply-sent = Réponse envoyée
page-transfer-after-reply = La réponse est partie : cette interaction est terminée
page-transfer-waiting = Un transfert attend une réponse
page-callback-hour = Rappeler dans 1 h
page-callback-hour-tooltip = Planifier un rappel de ce numéro dans une heure
page-hint = Une seule réponse : l’envoyer clôt l’interaction.
page-hint-greeting = Une seule réponse : l’envoyer clôt l’interaction. { $shortcut } insère une salutation.
page-answered = Ce SMS a reçu sa réponse ; le mode page n’en permet qu’une.
page-send = Envoyer et clore
page-callback-note = Demandé par SMS
page-callback-line = Rappel du { $number } planifié dans une heure.
page-callback-failed = Le rappel n’a pas été planifié : { $reason }
