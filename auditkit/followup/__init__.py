"""Follow-up audits: compare two audits of one business, and plan the actions."""
