"""Import of a team's spreadsheets (issue 15): preview with French errors per row, the valid
rows or nothing, one transaction, the same file twice creates nothing, paper consents."""

import datetime as dt
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import Workbook, load_workbook

from binome.accompaniment.models import Accompaniment, Consent, ConsentPurpose, Contact, Patient
from binome.audit.models import AuditEvent
from binome.imports.models import ImportBatch
from binome.partners.models import Partner, PartnerTag, RecruitmentGates, Training
from tests.partners.factories import PartnerFactory

PARTNER_HEADER = "Prénom;Nom;E-mail;Téléphone;Commune;Langues;Limites;Formation;Formation : date;Rencontré·e le;Étape;Colonne perso\n"
GOOD = [
    "Martine;Cazals;martine@exemple.fr;06 12 34 56 78;Toulouse;français, occitan;fin de vie;Formation de base;01/10/2026;;;x\n",
    "Paul;Ribes;paul@exemple.fr;0611223344;Balma;;;;;15/09/2026;Rencontré·e;\n",
]
BAD = [
    "Anne;Vidal;anne@exemple;;;;;;;;;\n",  # e-mail without a domain
    "Luc;Bosc;luc@exemple.fr;;;;;;32/13/2026;;;\n",  # no such date
]


def csv_file(lines, name="partenaires.csv"):
    # As French Excel saves it: semicolons, Windows-1252.
    return SimpleUploadedFile(
        name, (PARTNER_HEADER + "".join(lines)).encode("cp1252"), content_type="text/csv"
    )


def upload(client, kind, file):
    return client.post(reverse("imports:start"), {"kind": kind, "file": file})


def partners_of(structure):
    with scopes_disabled():
        return Partner.objects.filter(structure=structure)


@pytest.fixture
def coordinator(world):
    return world.client_for("coordinator")


def test_partners_preview_shows_errors_and_writes_nothing_then_nothing_is_imported(
    world, coordinator
):
    response = upload(coordinator, "partenaires", csv_file(GOOD + BAD))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    page = coordinator.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Aperçu de l'import" in html and "2 valide(s)" in html and "2 en erreur" in html
    assert "E-mail : Saisissez une adresse e-mail valide, par exemple prenom@exemple.fr." in html
    assert "Formation : date : « 32/13/2026 » n&#x27;est pas une date" in html
    assert "Colonne perso" in html  # the ignored column is named
    assert not partners_of(world.a).exists()  # a preview writes nothing
    assert not AuditEvent.objects.filter(kind="partners.created").exists()

    response = coordinator.post(
        reverse("imports:decide", args=[batch.public_id]), {"decision": "nothing"}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "cancelled" and batch.rows == []
    assert not partners_of(world.a).exists()
    assert AuditEvent.objects.filter(kind="imports.cancelled").count() == 1


def test_partners_fixed_file_imports_and_the_same_file_twice_creates_nothing(world, coordinator):
    upload(coordinator, "partenaires", csv_file(GOOD))
    batch = ImportBatch.objects.get()
    coordinator.post(reverse("imports:decide", args=[batch.public_id]), {"decision": "import"})
    batch.refresh_from_db()
    assert (batch.status, batch.n_created, batch.n_errors, batch.rows) == ("imported", 2, 0, [])
    with scopes_disabled():
        martine = Partner.objects.get(structure=world.a, email="martine@exemple.fr")
        paul = Partner.objects.get(structure=world.a, email="paul@exemple.fr")
        assert martine.status == "candidate" and martine.phone == "06 12 34 56 78"
        assert set(
            martine.tags.filter(kind=PartnerTag.Kind.LANGUAGE).values_list("label", flat=True)
        ) == {"français", "occitan"}
        assert list(
            martine.tags.filter(kind=PartnerTag.Kind.LIMIT).values_list("label", flat=True)
        ) == ["fin de vie"]
        assert Training.objects.get(partner=martine).completed_on == dt.date(2026, 10, 1)
        assert paul.status == "met" and paul.meeting_notes.get().met_on == dt.date(2026, 9, 15)
        assert paul.decisions.get().reason == "Reprise du tableur de l'équipe"
    assert (
        AuditEvent.objects.filter(kind="partners.created", actor=world.users["coordinator"]).count()
        == 2
    )

    upload(coordinator, "partenaires", csv_file(GOOD))
    again = ImportBatch.objects.order_by("-pk").first()
    assert (again.n_valid, again.n_already, again.n_errors) == (0, 2, 0)
    coordinator.post(reverse("imports:decide", args=[again.public_id]), {"decision": "import"})
    assert partners_of(world.a).count() == 2


def test_import_valid_rows_leaves_the_bad_ones_and_the_report_lists_them(world, coordinator):
    upload(coordinator, "partenaires", csv_file(GOOD + BAD))
    batch = ImportBatch.objects.get()
    coordinator.post(reverse("imports:decide", args=[batch.public_id]), {"decision": "import"})
    assert partners_of(world.a).count() == 2
    response = coordinator.get(reverse("imports:report", args=[batch.public_id]))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in rows] == [
        (2, "importée"),
        (3, "importée"),
        (4, "erreur, non importée"),
        (5, "erreur, non importée"),
    ]
    assert "Martine" not in response["Content-Disposition"]
    assert AuditEvent.objects.filter(kind="imports.report_downloaded").count() == 1
    # A decided import cannot be replayed.
    coordinator.post(reverse("imports:decide", args=[batch.public_id]), {"decision": "import"})
    assert partners_of(world.a).count() == 2


def test_a_step_beyond_candidacy_meets_the_teams_gates(world, coordinator):
    line = "Rose;Martin;rose@exemple.fr;;;;;;;15/09/2026;En intégration;\n"
    upload(coordinator, "partenaires", csv_file([line]))
    batch = ImportBatch.objects.get()
    assert batch.n_errors == 1
    assert "la grille d'évaluation remplie par 2 membres" in " ".join(batch.outcome[0]["messages"])
    with scopes_disabled():
        RecruitmentGates.objects.update_or_create(
            structure=world.a, defaults={"evaluators_required": 0}
        )
    upload(coordinator, "partenaires", csv_file([line]))
    batch = ImportBatch.objects.order_by("-pk").first()
    coordinator.post(reverse("imports:decide", args=[batch.public_id]), {"decision": "import"})
    assert partners_of(world.a).get().status == "onboarded"


def test_duplicates_in_the_file_and_in_the_team_are_refused(world, coordinator):
    PartnerFactory(structure=world.a, email="martine@exemple.fr")
    upload(coordinator, "partenaires", csv_file([GOOD[1], GOOD[1].replace("Paul", "Pauline")]))
    batch = ImportBatch.objects.get()
    assert [o["result"] for o in batch.outcome] == ["created", "error"]
    assert "Doublon dans le fichier : la ligne 2" in batch.outcome[1]["messages"][0]
    upload(coordinator, "partenaires", csv_file([GOOD[0]]))
    batch = ImportBatch.objects.order_by("-pk").first()
    assert batch.outcome[0]["messages"] == [
        "Doublon : un patient partenaire de l'équipe a déjà l'adresse martine@exemple.fr."
    ]


def test_a_file_without_a_required_column_is_refused_in_french(world, coordinator):
    file = SimpleUploadedFile("x.csv", b"Nom;Commune\nCazals;Toulouse\n")
    response = upload(coordinator, "partenaires", file)
    assert response.status_code == 422
    assert "Il manque des colonnes obligatoires : Prénom" in response.content.decode()
    response = upload(coordinator, "partenaires", SimpleUploadedFile("x.pdf", b"%PDF-1.4"))
    assert response.status_code == 422 and "Déposez un fichier .xlsx" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_template_reads_back_as_a_valid_file(world, coordinator):
    response = coordinator.get(reverse("imports:template") + "?contenu=partenaires")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.active["A1"].value == "Prénom *" and "Aide" in book.sheetnames
    upload(coordinator, "partenaires", SimpleUploadedFile("modele.xlsx", response.content))
    batch = ImportBatch.objects.get()
    assert (batch.n_rows, batch.n_valid, batch.n_errors) == (1, 1, 0), batch.outcome


# Accompaniments with their paper consents ---------------------------------------------------

ACC_COLUMNS = [
    "Prénom du patient",
    "Nom du patient",
    "Téléphone du patient",
    "Patient partenaire",
    "Orienté par",
    "Orienté le",
    "Accord pour être contacté (date)",
    "Accord pour transmettre ses coordonnées (date)",
    "Accord pour partager un résumé avec l'équipe (date)",
    "Accords recueillis par",
    "Contacts (dates)",
    "Terminé le",
]


def xlsx(rows, header=ACC_COLUMNS):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("accompagnements.xlsx", out.getvalue())


@pytest.fixture
def partner(world):
    return PartnerFactory(
        structure=world.a, email="martine@exemple.fr", first_name="Martine", last_name="Cazals"
    )


def test_accompaniments_with_paper_consents_and_contacts(world, coordinator, partner):
    doctor, nurse = world.users["doctor"].email, world.users["nurse"].email
    rows = [
        [
            "Jeanne",
            "D",
            "0698765432",
            "martine@exemple.fr",
            doctor,
            dt.datetime(2026, 9, 2),
            "02/09/2026",
            "02/09/2026",
            "03/09/2026",
            nurse,
            "05/09/2026; 19/09/2026",
            None,
        ],
        [
            "Louis",
            "",
            "0611111111",
            "Martine Cazals",
            doctor,
            "10/06/2026",
            "10/06/2026",
            "10/06/2026",
            "",
            "",
            "",
            "30/09/2026",
        ],
        [
            "Sans",
            "Accord",
            "0622222222",
            "martine@exemple.fr",
            doctor,
            "01/09/2026",
            "",
            "01/09/2026",
            "",
            "",
            "",
            "",
        ],
        [
            "Inconnu",
            "",
            "0633333333",
            "personne@exemple.fr",
            "pas-la@exemple.fr",
            "01/09/2026",
            "01/09/2026",
            "01/09/2026",
            "",
            "",
            "",
            "",
        ],
    ]
    upload(coordinator, "accompagnements", xlsx(rows))
    batch = ImportBatch.objects.get()
    results = [o["result"] for o in batch.outcome]
    assert results == ["created", "created", "error", "error"], batch.outcome
    assert "Consentement manquant" in batch.outcome[2]["messages"][0]
    assert batch.outcome[3]["messages"] == [
        "Patient partenaire : « personne@exemple.fr » n'est pas un patient partenaire de l'équipe.",
        "Orienté par : « pas-la@exemple.fr » n'est pas un professionnel de l'équipe dans Binôme.",
    ]
    with scopes_disabled():
        assert not Patient.objects.exists()
    coordinator.post(reverse("imports:decide", args=[batch.public_id]), {"decision": "import"})
    with scopes_disabled():
        jeanne = Accompaniment.objects.get(patient__first_name="Jeanne")
        assert jeanne.partner == partner and jeanne.referred_by == world.memberships["doctor"]
        assert jeanne.status == "active" and jeanne.contacts.count() == 2
        consents = {c.purpose: c for c in Consent.objects.filter(patient=jeanne.patient)}
        assert set(consents) == {
            ConsentPurpose.CONTACT_BY_PARTNER,
            ConsentPurpose.SHARE_CONTACT_DETAILS,
            ConsentPurpose.SHARE_SUMMARIES,
        }
        summaries = consents[ConsentPurpose.SHARE_SUMMARIES]
        assert (
            summaries.method == Consent.Method.SIGNED_FORM
            and summaries.recorded_by == world.users["nurse"]
        )
        assert summaries.given_at.date() == dt.date(2026, 9, 3)
        louis = Accompaniment.objects.get(patient__first_name="Louis")
        assert louis.status == "ended" and louis.ended_at.date() == dt.date(2026, 9, 30)
        assert not louis.deadlines.exists()  # an ended accompaniment waits for no first contact
        assert Contact.objects.count() == 2
    assert AuditEvent.objects.filter(kind="accompaniment.imported").count() == 2
    assert AuditEvent.objects.filter(kind="accompaniment.consent_given").count() == 5

    upload(coordinator, "accompagnements", xlsx(rows))
    again = ImportBatch.objects.order_by("-pk").first()
    assert [o["result"] for o in again.outcome] == ["already", "already", "error", "error"]


def test_the_command_line_is_all_or_nothing_and_has_a_dry_run(world, partner, tmp_path):
    doctor = world.users["doctor"].email
    good = [
        "Jeanne",
        "D",
        "0698765432",
        "martine@exemple.fr",
        doctor,
        "02/09/2026",
        "02/09/2026",
        "02/09/2026",
        "",
        "",
        "",
        "",
    ]
    bad = [
        "Sans",
        "Accord",
        "0622222222",
        "martine@exemple.fr",
        doctor,
        "01/09/2026",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    path = tmp_path / "acc.xlsx"
    path.write_bytes(xlsx([good, bad]).read())
    out = StringIO()
    with pytest.raises(CommandError, match="Rien n'est importé : 1 ligne"):
        call_command("import", "accompagnements", str(path), structure="structure-a", stdout=out)
    assert "Ligne 3 : Consentement manquant" in out.getvalue()
    with scopes_disabled():
        assert not Accompaniment.objects.exists()
    call_command(
        "import",
        "accompagnements",
        str(path),
        structure="structure-a",
        dry_run=True,
        stdout=StringIO(),
    )
    with scopes_disabled():
        assert not Accompaniment.objects.exists()
    out = StringIO()
    call_command(
        "import",
        "accompagnements",
        str(path),
        structure="structure-a",
        skip_invalid=True,
        stdout=out,
    )
    assert "1 ligne(s) importée(s)" in out.getvalue()
    call_command(
        "import",
        "accompagnements",
        str(path),
        structure="structure-a",
        skip_invalid=True,
        stdout=StringIO(),
    )
    with scopes_disabled():
        assert Accompaniment.objects.count() == 1
    assert AuditEvent.objects.filter(kind="imports.imported").count() == 2


def test_only_the_coordination_imports_and_another_structures_import_is_404(world, coordinator):
    upload(coordinator, "partenaires", csv_file(GOOD))
    batch = ImportBatch.objects.get()
    for persona in ("doctor", "partner"):
        client = world.client_for(persona)
        assert client.get(reverse("imports:start")).status_code == 403
        assert client.get(reverse("imports:batch", args=[batch.public_id])).status_code == 403
        assert (
            client.post(
                reverse("imports:decide", args=[batch.public_id]), {"decision": "import"}
            ).status_code
            == 403
        )
    other = world.client_for("coordinator", structure="b")
    assert other.get(reverse("imports:batch", args=[batch.public_id])).status_code == 404
    assert (
        other.post(
            reverse("imports:decide", args=[batch.public_id]), {"decision": "import"}
        ).status_code
        == 404
    )
    assert not partners_of(world.a).exists()


def test_the_api_twin_previews_and_imports_like_the_page(world):
    from django.test import Client

    from binome.accounts.models import ApiToken

    ApiToken.issue(world.users["coordinator"], "import", raw="import-token")
    api = Client(HTTP_AUTHORIZATION="Bearer import-token")
    response = api.post(
        "/api/v1/imports/",
        {"structure": "structure-a", "kind": "partenaires", "file": csv_file(GOOD + BAD[:1])},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["n_valid"], body["n_errors"]) == (2, 1)
    assert body["lines"][2]["result"] == "error" and body["lines"][2]["messages"]
    assert not partners_of(world.a).exists()
    response = api.post(
        f"/api/v1/imports/{body['id']}/decision",
        {"decision": "import"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["n_created"] == 2
    assert partners_of(world.a).count() == 2
    response = api.post(
        f"/api/v1/imports/{body['id']}/decision",
        {"decision": "import"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "déjà été traité" in str(response.json())
    bad = api.post(
        "/api/v1/imports/", {"structure": "structure-a", "kind": "inconnu", "file": csv_file(GOOD)}
    )
    assert bad.status_code == 422
    assert (
        api.post(
            "/api/v1/imports/",
            {"structure": "structure-b", "kind": "partenaires", "file": csv_file(GOOD)},
        ).status_code
        == 404
    )
    ApiToken.issue(world.users["doctor"], "import", raw="import-doctor")
    doctor = Client(HTTP_AUTHORIZATION="Bearer import-doctor")
    assert (
        doctor.post(
            "/api/v1/imports/",
            {"structure": "structure-a", "kind": "partenaires", "file": csv_file(GOOD)},
        ).status_code
        == 403
    )
    assert doctor.get(f"/api/v1/imports/{body['id']}").status_code == 403


def test_a_spreadsheet_is_forgotten_after_its_retention_period(world, coordinator):
    import datetime as dt

    from django.utils import timezone

    from binome.privacy.retention import apply_retention

    upload(coordinator, "partenaires", csv_file(GOOD))
    upload(coordinator, "partenaires", csv_file(GOOD[:1]))
    old, recent = ImportBatch.objects.order_by("pk")
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    assert apply_retention()["import_files"] == 1
    assert list(ImportBatch.objects.all()) == [recent]


def test_ragged_csv_rows_and_the_english_kind_name_on_the_command_line(world, tmp_path):
    path = tmp_path / "p.csv"
    # Too few separators for the sniffer, and a row longer than the headers: as saved by hand.
    path.write_bytes(
        "Prénom;Nom;E-mail;Téléphone\nLéa;Roques;lea@exemple.fr;06 11 22 33 44\nMarc;Py;marc@exemple.fr;;;\n".encode(
            "cp1252"
        )
    )
    out = StringIO()
    call_command("import", "partners", str(path), structure="structure-a", stdout=out)
    assert "2 ligne(s) importée(s)" in out.getvalue()
    assert set(partners_of(world.a).values_list("first_name", flat=True)) == {"Léa", "Marc"}


def test_involvement_actions_count_only_with_their_evidence(world, coordinator):
    from binome.involvement.aci import aci_level_reached
    from binome.involvement.models import InvolvementAction

    lines = (
        "Type d'action;Intitulé;Date de début;Niveau ACI;Nombre d'usagers\n"
        "Enquête de satisfaction;Enquête 2025;15/03/2025;;120\n"
        "Comité des usagers;Comité des usagers;01/02/2025;2;8\n"
        "Danse;Bal;01/01/2025;;\n"
    )
    upload(coordinator, "actions", SimpleUploadedFile("actions.csv", lines.encode()))
    batch = ImportBatch.objects.get()
    assert [o["result"] for o in batch.outcome] == ["created", "created", "error"]
    assert batch.outcome[2]["messages"][0].startswith(
        "Type d'action : « Danse » n'est pas une valeur prévue"
    )
    coordinator.post(reverse("imports:decide", args=[batch.public_id]), {"decision": "import"})
    with scopes_disabled():
        survey = InvolvementAction.objects.get(title="Enquête 2025")
        committee = InvolvementAction.objects.get(title="Comité des usagers")
        assert (survey.kind, survey.aci_level, survey.users_count) == ("survey", 1, 120)
        assert committee.aci_level == 2 and committee.is_imported and not committee.is_automatic
    page = coordinator.get(
        reverse("involvement:action_detail", args=[committee.public_id])
    ).content.decode()
    assert "Reprise du tableur de l'équipe" in page
    with scopes_disabled():
        result = aci_level_reached(InvolvementAction.objects.filter(structure=world.a))
    # Imported without its minutes and attendance, the committee waits "à compléter".
    assert committee in [action for action, _missing in result.to_complete]


def test_time_entries_wait_for_validation_like_the_partners_own(world, coordinator):
    from binome.compensation.models import Status, TimeEntry
    from tests.compensation.factories import PolicyFactory, assigned

    partner, mission = assigned(world, title="Atelier diabète")
    PolicyFactory(mission=mission, mode="hourly", hourly_rate="15.00")
    with scopes_disabled():
        Partner.objects.filter(pk=partner.pk).update(email="martine@exemple.fr")
    lines = (
        "Patient partenaire;Mission;Date;Durée (minutes);Activité\n"
        "martine@exemple.fr;Atelier diabète;12/11/2026;90;Atelier ou séance co-animée\n"
        "martine@exemple.fr;Mission inconnue;12/11/2026;60;\n"
    )
    upload(coordinator, "temps", SimpleUploadedFile("temps.csv", lines.encode()))
    batch = ImportBatch.objects.get()
    assert [o["result"] for o in batch.outcome] == ["created", "error"]
    assert "« Mission inconnue » n'est pas une mission de" in batch.outcome[1]["messages"][0]
    coordinator.post(reverse("imports:decide", args=[batch.public_id]), {"decision": "import"})
    with scopes_disabled():
        entry = TimeEntry.objects.get()
    assert (entry.status, entry.duration_minutes, str(entry.amount)) == (
        Status.SUBMITTED,
        90,
        "22.50",
    )
    upload(coordinator, "temps", SimpleUploadedFile("temps.csv", lines.encode()))
    assert ImportBatch.objects.order_by("-pk").first().n_already == 1


def test_the_api_refuses_a_nul_in_a_form_field_and_still_reads_the_file(world):
    """The API's NUL rule reads the form's texts, never the uploaded file (reading it there
    left the import an empty file)."""
    from django.test import Client

    from binome.accounts.models import ApiToken

    ApiToken.issue(world.users["coordinator"], "import", raw="import-token")
    api = Client(HTTP_AUTHORIZATION="Bearer import-token")
    refused = api.post(
        "/api/v1/imports/",
        {"structure": "structure-a", "kind": "parte\x00naires", "file": csv_file(GOOD)},
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "kind"
    read = api.post(
        "/api/v1/imports/",
        {"structure": "structure-a", "kind": "partenaires", "file": csv_file(GOOD)},
    )
    assert read.status_code == 201, read.content
