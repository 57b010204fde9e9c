# keepwarm: the API and (unless KEEPWARM_SCHEDULER=off) the scheduler, on port 8000.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY service ./service
COPY migrations ./migrations
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /data --create-home keepwarm

USER keepwarm
# The SQLite default lands in /data; set KEEPWARM_DATABASE_URL for PostgreSQL.
ENV KEEPWARM_DATABASE_URL=sqlite:////data/keepwarm.db
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
CMD ["keepwarm", "serve", "--host", "0.0.0.0", "--port", "8000"]
