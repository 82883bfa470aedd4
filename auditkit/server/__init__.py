"""The practice server's foundations: where advisors, clients, audits, respondents and their
answers are kept, and how people prove who they are.

An advisor (or a business association) runs one server for many clients. Everything it keeps
lives in one database — SQLite by default (one file, WAL), PostgreSQL by URL for several
workers — through SQLAlchemy 2, with Alembic migrations that run when the database is opened
by a newer auditkit. Every respondent's answers export to the ordinary answers.yaml, so
``score``, ``report``, ``compare`` and ``plan`` keep working on files and nothing is locked in.
"""
