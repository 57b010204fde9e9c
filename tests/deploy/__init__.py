"""The deployment files: compose.yaml, the Dockerfile, deploy/, and the image's entry points.

No container runs here (no Docker daemon, no registry), so the files are read as Compose and
Docker would read them, and the image is simulated: the files the Dockerfile copies are built
into a wheel, installed outside the source tree and run from `/` as an unprivileged user.
"""
