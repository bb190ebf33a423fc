# MMS : un message multimédia qui reçoit une réponse par SMS.
channel-name = MMS
mms-images = { $count ->
    [0] Aucune image
    [one] 1 image
   *[other] { $count } images
}
mms-reply-sent = Réponse envoyée
mms-subtitle = MMS entrant · { $images }
mms-hint = Répondez par SMS (les images ne peuvent pas être envoyées) ; la réponse clôt l’interaction.
mms-answered = Ce MMS a reçu sa réponse.
mms-send = Envoyer le SMS et clore
