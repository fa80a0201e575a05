"""The association tables' codes: fields of action, settings and joint-action themes (the
schema's CHECK constraints hold the same lists; tests/test_associations.py keeps them in step)."""

FIELDS = (
    "education",
    "culture",
    "family_support",
    "legal_access",
    "health",
    "reinsertion",
    "housing",
    "employment",
)
SETTINGS = ("inside", "after_release", "both")
THEMES = ("prison_days", "family", "culture", "employment", "health", "release")
# What a partnership between an association and an operator is for (operator_partnership).
LINK_PURPOSES = ("hiring_after_release", "release_relay", "training", "family_support", "referral")
