# SMS en mode session : une conversation qui vit jusqu’à ce qu’elle se taise.
channel-name = SMS en session
session-subtitle = SMS · mode session
session-send = Envoyer
session-ended-refusal = La session est terminée ; le prochain SMS du contact en ouvre une nouvelle.
session-wait-for-transfer = Attendez la réponse au transfert avant d’écrire.
session-unreachable-warning = { $number } est signalé comme ne pouvant pas recevoir de SMS ({ $why }). Appuyez de nouveau sur Envoyer pour envoyer quand même, ou planifiez un rappel.
session-flagged = signalé par la plateforme
session-message-not-delivered = « { $excerpt } » n’a pas été remis : { $reason }.
session-a-message-not-delivered = Un message n’a pas été remis : { $reason }.
session-open-only = Seule une session ouverte peut être transférée.
session-agent-ended = L’agent a terminé la session.
session-idle-hours = { $count ->
    [one] Session terminée : aucun message depuis 1 heure.
   *[other] Session terminée : aucun message depuis { $count } heures.
}
session-idle-minutes = { $count ->
    [one] Session terminée : aucun message depuis 1 minute.
   *[other] Session terminée : aucun message depuis { $count } minutes.
}
session-idle-seconds = { $count ->
    [one] Session terminée : aucun message depuis 1 seconde.
   *[other] Session terminée : aucun message depuis { $count } secondes.
}
session-hint = Mode session : les SMS du contact rejoignent cette conversation. Elle se termine après { $idle } sans message.
session-transfer-pending = Transfert à { $name } en attente
session-waiting-hint = En attente de la réponse au transfert.
session-ended = Session terminée
session-ended-hint = { $reason } Appuyez sur Terminé pour fermer.
session-cannot-receive = Ne peut pas recevoir de SMS : { $why }
session-not-delivered = { $count ->
    [one] 1 non remis
   *[other] { $count } non remis
}
session-transfer-tooltip = Confier cette session à un collègue, une file ou une compétence
session-transfer-waiting = Un transfert attend une réponse
session-transfer-ended = La session est terminée
session-end = Terminer la session
session-end-tooltip = Mettre fin à la conversation ; Terminé la ferme
session-done = Terminé
