"""Plant a committee seat for the privacy canary test (the fields a seat without an account holds)."""


def plant(user, structure, canary):
    from binome.people.models import Membership
    from binome.voice.models import Committee, CommitteeMember

    committee = Committee.objects.create(structure=structure, name="Comité des usagers")
    membership = Membership.objects.filter(user=user, structure=structure).first()
    CommitteeMember.objects.create(
        committee=committee,
        membership=membership,
        first_name=canary("prenom"),
        last_name=canary("nom"),
        email="zqcanari.siege@exemple.fr",
        phone="0699887766",
        invite_by="sms",
        function=canary("fonction"),
    )
