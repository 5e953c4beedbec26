"""The respondent side: personal links, questionnaire pages and opt-out."""
