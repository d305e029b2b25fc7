"""Two app nodes behind nginx share sessions, limits, files and jobs (issue 17).

Each test would fail on a single-machine setup copied twice (local-memory cache, files on
each node's disk, one database per node): the session, the lockout and the rate limit live
in Redis, files in the S3-compatible storage, jobs in the shared database."""

import json
import os
import signal
import threading
import time
import uuid
from datetime import date

import requests

from tests.cluster.conftest import LB, NODE_A, NODE_B, form_fields, sign_in

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_a_session_opened_on_node_a_works_on_node_b(cluster):
    session = sign_in(NODE_A, "coordination@tilleuls.demo")
    on_b = session.get(f"{NODE_B}/structure/", allow_redirects=False, timeout=10)
    assert on_b.status_code == 200 and "MSP des Tilleuls" in on_b.text
    # Signing out on B ends it on A too.
    page = session.get(f"{NODE_B}/compte/", timeout=10)
    token = page.cookies.get("csrftoken") or session.cookies.get("csrftoken")
    session.post(f"{NODE_B}/deconnexion/", data={"csrfmiddlewaretoken": token}, timeout=10)
    again = session.get(f"{NODE_A}/structure/", allow_redirects=False, timeout=10)
    assert again.status_code == 302 and "/connexion/" in again.headers["Location"]


def _sign_in_attempt(base, email, password):
    session = requests.Session()
    session.get(f"{base}/connexion/", timeout=10)
    return session.post(
        f"{base}/connexion/",
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "username": email,
            "password": password,
        },
        allow_redirects=False,
        timeout=10,
    )


def test_the_sign_in_lockout_counts_across_both_nodes(cluster):
    """AXES_FAILURE_LIMIT = 5: four wrong passwords spread over the two nodes, then a fifth on
    node A, which has seen only three of them, locks the account — on both nodes."""
    email = "partenaire@vallee.demo"
    for i in range(4):
        wrong = _sign_in_attempt(NODE_A if i % 2 == 0 else NODE_B, email, "pas-le-bon")
        assert wrong.status_code == 200 and "sessionid" not in wrong.cookies
    assert _sign_in_attempt(NODE_A, email, "pas-le-bon").status_code == 429
    # The right password is now refused on either node.
    for base in (NODE_B, NODE_A):
        assert _sign_in_attempt(base, email, "binome-demo").status_code == 429


def test_a_public_forms_rate_limit_counts_across_both_nodes(cluster):
    """30 posts an hour per address on the public idea box: spread over both nodes, the 31st
    is refused — each node alone would have let it through."""
    statuses = []
    for i in range(31):
        base = NODE_A if i % 2 == 0 else NODE_B
        session = requests.Session()
        page = session.get(f"{base}/p/tilleuls/idees/", timeout=10)
        fields = form_fields(page.text, "text")["fields"]
        fields.update({"text": f"Une idée pour la salle d'attente n° {i}", "website": ""})
        posted = session.post(
            f"{base}/p/tilleuls/idees/", data=fields, allow_redirects=False, timeout=10
        )
        statuses.append(posted.status_code)
    assert all(s in (200, 302) for s in statuses[:30]), statuses
    assert statuses[30] == 429, statuses


def test_a_receipt_uploaded_through_a_is_served_through_b_to_the_right_person(cluster):
    partner = sign_in(NODE_A, "partenaire@tilleuls.demo")
    page = partner.get(f"{NODE_A}/indemnisation/frais/nouveau/", timeout=10)
    form = form_fields(page.text, "receipt")
    fields = form["fields"]
    assert fields.get("mission"), "the demo partner has a mission with a compensation decision"
    fields.update(
        {
            "kind": "transport",
            "declared_amount": "3,20",
            "date": date.today().isoformat(),
            "description": "Bus",
        }
    )
    fields.pop("kilometres", None)
    posted = partner.post(
        f"{NODE_A}/indemnisation/frais/nouveau/",
        data=fields,
        files={"receipt": ("ticket.png", PNG, "image/png")},
        allow_redirects=False,
        timeout=20,
    )
    assert posted.status_code == 302, posted.text[:2000]
    receipt = json.loads(
        cluster.django(
            "import json; from django_scopes import scopes_disabled\n"
            "from binome.compensation.models import Expense\n"
            "with scopes_disabled():\n"
            "    e = Expense.objects.filter(description='Bus').latest('id')\n"
            "    print(json.dumps({'id': str(e.public_id), 'name': e.receipt.name}))"
        ).splitlines()[-1]
    )
    # In the object storage, not on the disk of the node that received it.
    key = f"media/{receipt['name']}"
    assert not list((cluster.dir / "node-a").rglob("ticket*.png"))
    stored = cluster.django(
        "import boto3, os\n"
        "s3 = boto3.client('s3', endpoint_url=os.environ['BINOME_S3_ENDPOINT_URL'],"
        " aws_access_key_id='binome', aws_secret_access_key='binome-cluster-secret',"
        " region_name='us-east-1')\n"
        f"print(s3.get_object(Bucket='binome-media', Key={key!r})['ContentLength'])"
    )
    assert stored.splitlines()[-1] == str(len(PNG))
    url = f"/indemnisation/frais/{receipt['id']}/justificatif/"
    coordinator = sign_in(NODE_B, "coordination@tilleuls.demo")
    served = coordinator.get(f"{NODE_B}{url}", timeout=10)
    assert served.status_code == 200 and served.content == PNG
    # Another structure's coordination, and nobody signed out, never get it.
    other = sign_in(NODE_B, "coordination@vallee.demo")
    assert other.get(f"{NODE_B}{url}", timeout=10).status_code == 404
    anonymous = requests.get(f"{NODE_B}{url}", allow_redirects=False, timeout=10)
    assert anonymous.status_code == 302
    # The bucket does not serve it to anyone who asks for it.
    public = requests.get(f"http://127.0.0.1:28900/binome-media/{key}", timeout=10)
    assert public.status_code in (403, 404) or public.content != PNG


def test_a_scheduled_reminder_is_sent_once_with_two_workers(cluster):
    """A due first-contact reminder, and the deadlines job queued six times: the two workers
    (one per node) run it side by side; the reminder goes out once."""
    deadline = cluster.django(
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from django_scopes import scopes_disabled\n"
        "from django_q.tasks import async_task\n"
        "from binome.accompaniment.models import Accompaniment, Deadline\n"
        "with scopes_disabled():\n"
        "    acc = Accompaniment.objects.filter(status='referred', first_contact_at__isnull=True).first()\n"
        "    d = Deadline.objects.create(accompaniment=acc, kind='first_contact_reminder',"
        " due_at=timezone.now() - timedelta(minutes=1))\n"
        "for _ in range(6):\n"
        "    async_task('binome.accompaniment.tasks.process_deadlines')\n"
        "print(d.pk)"
    ).splitlines()[-1]
    check = (
        "from django_scopes import scopes_disabled\n"
        "from django_q.models import OrmQ\n"
        "from binome.accompaniment.models import Deadline\n"
        "from binome.audit.models import AuditEvent\n"
        "with scopes_disabled():\n"
        f"    d = Deadline.objects.get(pk={deadline})\n"
        "    sent = AuditEvent.objects.filter(kind='accompaniment.reminder_sent',"
        f" target_id='{deadline}').count()\n"
        "    print(d.done_at is not None, OrmQ.objects.count(), sent)"
    )
    for _ in range(60):
        done, queued, sent = cluster.django(check).splitlines()[-1].split()
        if done == "True" and queued == "0":
            break
        time.sleep(1)
    assert (done, queued, sent) == ("True", "0", "1")
    # Both workers took part (the queue was shared, not drained by one node's worker only).
    ran = cluster.django(
        "from django_q.models import Success\n"
        "print(Success.objects.filter(func='binome.accompaniment.tasks.process_deadlines').count())"
    ).splitlines()[-1]
    assert int(ran) >= 6


def test_stopping_one_node_mid_run_loses_no_acknowledged_write(cluster):
    """Time entries posted through nginx by the demo partner's API token while node A is
    killed: every entry acknowledged (201) is in the database."""
    token = "demo-partenaire-tilleuls"
    headers = {"Authorization": f"Bearer {token}"}
    mission = cluster.django(
        "from django_scopes import scopes_disabled\n"
        "from binome.compensation import services\n"
        "from binome.partners.models import Partner\n"
        "with scopes_disabled():\n"
        "    p = Partner.objects.get(membership__user__email='partenaire@tilleuls.demo')\n"
        "    print(services.missions_with_mode(p).first().public_id)"
    ).splitlines()[-1]
    run = uuid.uuid4().hex[:8]
    acknowledged, failures = [], []
    stop = threading.Event()

    def post_entries():
        i = 0
        while not stop.is_set() and i < 400:
            i += 1
            try:
                answer = requests.post(
                    f"{LB}/api/v1/compensation/time/",
                    json={
                        "mission": mission,
                        "date": date.today().isoformat(),
                        "duration_minutes": 30,
                        "activity": "other",
                        "note": f"grappe-{run}-{i}",
                    },
                    headers=headers,
                    timeout=10,
                )
            except requests.RequestException as exc:
                failures.append(str(exc))
                continue
            if answer.status_code == 201:
                acknowledged.append(answer.json()["id"])
            else:
                failures.append(answer.status_code)

    writer = threading.Thread(target=post_entries)
    writer.start()
    time.sleep(3)
    before_kill = len(acknowledged)
    os.killpg(cluster.pid("web-a"), signal.SIGKILL)  # node A dies mid-run
    time.sleep(6)
    stop.set()
    writer.join(timeout=60)
    after_kill = len(acknowledged) - before_kill
    assert before_kill > 0 and after_kill > 0, (before_kill, after_kill, failures[:5])
    stored = set(
        json.loads(
            cluster.django(
                "import json; from django_scopes import scopes_disabled\n"
                "from binome.compensation.models import TimeEntry\n"
                "with scopes_disabled():\n"
                f"    print(json.dumps([str(x) for x in TimeEntry.objects.filter(note__startswith='grappe-{run}-')"
                ".values_list('public_id', flat=True)]))"
            ).splitlines()[-1]
        )
    )
    assert set(acknowledged) <= stored
    assert len(acknowledged) == len(set(acknowledged))
    # Node B kept answering through nginx alone.
    assert requests.get(f"{LB}/healthz", timeout=5).status_code == 200
