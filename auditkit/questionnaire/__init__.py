"""The interactive questionnaire: a session that saves every answer, and its front ends."""
