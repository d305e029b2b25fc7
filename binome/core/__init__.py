"""What every app uses: PDF and spreadsheet documents, form answers, public-form protection,
role groups, plug-in discovery and pagination. Depends on Django and binome.people only."""
