"""The audit report: context, charts, branding, safe HTML and PDF rendering."""
