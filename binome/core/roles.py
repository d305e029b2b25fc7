"""Roles in a structure, professions, and the role groups every app uses.

Each group has one meaning everywhere; a view or access rule picks the group that says why
someone may act, never a tuple of its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinatrice / coordinateur")
    PROFESSIONAL = "professional", _("Professionnel de santé")
    PARTNER = "partner", _("Patient partenaire")
    USER_REP = "user_rep", _("Représentant des usagers")
    PATIENT = "patient", _("Patient accompagné")


class Profession(models.TextChoices):
    GP = "gp", _("Médecin généraliste")
    DOCTOR = "doctor", _("Médecin spécialiste")
    NURSE = "nurse", _("Infirmier·e")
    ASALEE_NURSE = "asalee", _("Infirmier·e Asalée")
    PHYSIO = "physio", _("Masseur-kinésithérapeute")
    PHARMACIST = "pharmacist", _("Pharmacien·ne")
    PSYCHOLOGIST = "psychologist", _("Psychologue")
    MIDWIFE = "midwife", _("Sage-femme")
    DIETITIAN = "dietitian", _("Diététicien·ne")
    APA = "apa", _("Enseignant·e en activité physique adaptée")
    MEDIATOR = "mediator", _("Médiateur·rice en santé")
    SOCIAL_WORKER = "social", _("Travailleur·se social·e")
    SECRETARY = "secretary", _("Secrétaire ou assistant·e médical·e")
    OTHER = "other", _("Autre profession")


DOCTOR_PROFESSIONS = {Profession.GP, Profession.DOCTOR}

# The structure's coordination and its health professionals: they edit the registers,
# surveys and assessments, and read the reports.
STAFF = (Role.COORDINATOR, Role.PROFESSIONAL)
# Everyone who works with the structure, patients accompanied excepted: they read the
# team's registers, projects and results.
TEAM = (Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP)
# Those who may see an accompaniment's patient data (the care team and the partner);
# they need a second factor.
CARE_TEAM = (Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER)
# Those who handle what users say: the idea box's answers and the gazette.
USERS_VOICE = (Role.COORDINATOR, Role.PROFESSIONAL, Role.USER_REP)
# Time and expenses: entered by the partner, or by the coordination for her.
PARTNER_WORK = (Role.COORDINATOR, Role.PARTNER)

ROLES_SEEING_PATIENT_DATA = set(CARE_TEAM)
