"""The platform as gunicorn serves it in production, plus one bare view to compare with."""
