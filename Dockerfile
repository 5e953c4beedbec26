FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . && useradd --create-home kip && mkdir -p /var/lib/kip && chown kip /var/lib/kip
USER kip
EXPOSE 8000
