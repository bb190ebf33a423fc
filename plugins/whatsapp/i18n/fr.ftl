# WhatsApp : texte libre dans la fenêtre de service client de 24 heures, modèles en dehors.
channel-name = WhatsApp
wa-window-left = Fenêtre : encore { $duration }
wa-subtitle-open = WhatsApp · fenêtre de service client ouverte
wa-hint-open = Répondez sur WhatsApp. Les modèles sont dans la barre d’outils.
wa-window-closed = Fenêtre fermée : modèles uniquement
wa-subtitle-closed = WhatsApp · la fenêtre de 24 heures s’est fermée il y a { $duration }
wa-hint-closed = Envoi désactivé : le client a écrit pour la dernière fois il y a plus de 24 heures ({ $duration } après la fenêtre), et WhatsApp n’accepte alors que des modèles approuvés. Utilisez un modèle de la barre d’outils ; la fenêtre se rouvre quand le client répond.
wa-images = { $count ->
    [one] 1 image
   *[other] { $count } images
}
wa-mark-done = Marquer comme terminé
wa-template = Modèle : { $name }
wa-send = Envoyer
wa-type-first = Écrivez un message avant d’envoyer.
wa-window-has-closed = Non envoyé : la fenêtre de service client de 24 heures est fermée ; envoyez plutôt un modèle approuvé.
wa-too-long = Non envoyé : WhatsApp accepte au plus { $max } caractères ; celui-ci en a { $count }.
wa-not-sent = Non envoyé : { $reason }
wa-under-a-minute = moins d’une minute
wa-banner-closing = La fenêtre de service client se ferme dans { $duration } : répondez maintenant ; ensuite, seuls les modèles partent.
wa-banner-closed = La fenêtre de service client est fermée : seuls les modèles approuvés partent jusqu’à ce que le client écrive de nouveau.
