"""Demo communications: the association's lists, subscribers with their consent, past
newsletters in the archive, news and press releases."""

import random
from datetime import timedelta

from django.utils import timezone

from alliage.mailing.models import (
    Campaign,
    ConsentEvent,
    Delivery,
    MailingList,
    Post,
    Subscriber,
    Subscription,
)

LISTS = [("infolettre", "Infolettre", "Newsletter"), ("evenements", "Événements", "Events"),
         ("formations", "Formations", "Training")]
POSTS = [
    ("press", "communique-5a7-caricatures", "Communiqué : 330 personnes au 5@7 « La société "
     "régionale en caricatures »", "Le 5@7 de l'association a réuni 330 personnes du milieu "
     "industriel régional.", 400),
    ("news", "efficacite-2-jonquiere", "Efficacité 2 : une deuxième cohorte à Jonquière",
     "Après Chicoutimi, la formation Efficacité 2 démarre à Jonquière avec le cégep.", 90),
    ("news", "symbiose-industrielle", "Symbiose industrielle : les matières des uns, les "
     "ressources des autres", "Le projet de symbiose caractérise les matières résiduelles "
     "des membres et jumelle les sous-produits.", 20),
]


def seed_mailing():
    """Idempotent."""
    if MailingList.objects.exists():
        return Subscriber.objects.count()
    rng = random.Random(2020)
    now = timezone.now()
    lists = [MailingList.objects.create(slug=s, name_fr=fr, name_en=en) for s, fr, en in LISTS]
    for kind, slug, title, summary, days in POSTS:
        Post.objects.create(kind=kind, slug=slug, title_fr=title, summary_fr=summary,
                            body_fr=summary + "\n\nPour information : info@alliage02.example",
                            published_at=now - timedelta(days=days))
    subscribers = []
    for i in range(420):
        joined = now - timedelta(days=rng.randint(1, 720))
        subscriber = Subscriber.objects.create(
            email=f"abonne{i}@exemple.ca", first_name=rng.choice(
                ["Marie", "Luc", "Sophie", "Jean", "Julie", "Marc", "Isabelle", "Éric"]),
            language="en" if i % 9 == 0 else "fr")
        for mailing_list in lists:
            if mailing_list.slug == "infolettre" or rng.random() < 0.4:
                left = joined + timedelta(days=rng.randint(30, 400)) if rng.random() < 0.08 \
                    else None
                Subscription.objects.create(
                    subscriber=subscriber, mailing_list=mailing_list, requested_at=joined,
                    confirmed_at=joined, status="unsubscribed" if left and left < now
                    else "active", ended_at=left if left and left < now else None)
                ConsentEvent.objects.create(
                    email=subscriber.email, kind="express", basis="form",
                    mailing_list=mailing_list, occurred_at=joined, source="/infolettre/",
                    wording="J'accepte de recevoir les communications d'Alliage 02.")
        subscribers.append(subscriber)
    campaign = Campaign.objects.create(
        title="Infolettre d'octobre", subject_fr="Les nouvelles d'octobre",
        subject_en="October news", body_fr="Bonjour {{prenom}},\n\nLe **tournoi de golf** "
        "affichait complet et la cohorte *Efficacité 2* de Jonquière est lancée.\n\n"
        "[Voir le calendrier](https://alliage02.example/activites/)",
        body_en="Hello {{prenom}},\n\nThe **golf tournament** was sold out.",
        status="sent", started_at=now - timedelta(days=30), finished_at=now - timedelta(days=30))
    campaign.lists.add(lists[0])
    Delivery.objects.bulk_create([Delivery(campaign=campaign, subscriber=s, status="sent",
                                           sent_at=now - timedelta(days=30))
                                  for s in subscribers[:300]])
    return len(subscribers)


def seed():
    """The demo's newsletter part (``alliage.demo.seeds``)."""
    return [(seed_mailing(), "newsletter subscribers")]
