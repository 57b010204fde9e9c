# keepwarm's image: `keepwarm serve` (the API, port 8000) by default, `keepwarm worker` (the
# scheduler, /healthz /readyz /metrics on port 8001) as the other role. See README, "Deployment".

# ---- builder: a virtual environment at /opt/keepwarm, dependencies first --------------------
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/keepwarm/bin:$PATH
RUN python -m venv /opt/keepwarm
WORKDIR /src

# The dependencies, read from pyproject.toml alone: this layer is rebuilt only when
# pyproject.toml changes, not on every change to the code.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

# The project itself, without its dependencies. migrations/ ships inside the package, as
# service.migrations (pyproject.toml maps it there).
COPY README.md setup.py ./
COPY service ./service
COPY migrations ./migrations
# The commit this image is built from (the context has no .git): setup.py records it in the
# package, for `keepwarm --version`, GET /v1/server and keepwarm_build_info. Unset: "unknown".
#   docker build --build-arg KEEPWARM_COMMIT=$(git rev-parse HEAD) -t keepwarm .
ARG KEEPWARM_COMMIT
RUN pip install --no-deps . \
    && keepwarm --version

# ---- runtime: the virtual environment, no source tree, no build tools ----------------------
FROM python:3.11-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/keepwarm/bin:$PATH \
    KEEPWARM_HOST=0.0.0.0 \
    KEEPWARM_DATABASE_URL=sqlite:////data/keepwarm.db
# --no-log-init: a high uid would otherwise grow a sparse /var/log/lastlog in the layer.
RUN groupadd --gid 10001 keepwarm \
    && useradd --no-log-init --uid 10001 --gid keepwarm --home-dir /data --create-home \
       --shell /usr/sbin/nologin keepwarm
COPY --from=builder /opt/keepwarm /opt/keepwarm

USER 10001:10001
# Not the source: migrations come from the installed package. Alone (SQLite), the database
# lives here; mount a volume on /data to keep it.
WORKDIR /data
EXPOSE 8000 8001
# Either role: exits 0 when serve (KEEPWARM_PORT) or worker (KEEPWARM_WORKER_PORT) answers /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["keepwarm", "healthcheck"]
CMD ["keepwarm", "serve"]
