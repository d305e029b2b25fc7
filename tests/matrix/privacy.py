from tests.matrix import Entry

EVERYONE = {"coordinator", "doctor", "nurse", "partner", "user_rep", "patient", "facilitator", "outsider"}


def _member(w):
    return {"public_id": w.memberships["partner"].public_id}


def _member_b(w):
    return {"public_id": w.memberships_b["partner"].public_id}


ENTRIES = [
    Entry("privacy:mine", allowed=EVERYONE),
    Entry("privacy:export_mine", method="post", allowed=EVERYONE, data={"format": "json"}, ok_status=422),
    Entry("privacy:people", allowed={"coordinator"}),
    Entry("privacy:person", allowed={"coordinator"}, own=_member, other=_member_b),
    Entry("privacy:person_export", method="post", allowed={"coordinator"}, own=_member, other=_member_b, data={}),
    Entry("privacy:person_erase", method="post", allowed={"coordinator"}, own=_member, other=_member_b, data={}),
    Entry("privacy:retention", allowed={"coordinator"}),
    Entry("privacy:register", allowed={"coordinator"}),
    Entry("privacy:register_pdf", allowed={"coordinator"}),
    Entry("privacy:dpia", allowed={"coordinator"}),
    Entry("privacy:dpia_pdf", allowed={"coordinator"}),
]
