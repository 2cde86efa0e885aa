# syntax=docker/dockerfile:1
# skillcert container image (docs/OPERATIONS.md, "Docker compose").
#
#   docker build -t skillcert .
#
# Build stage: the Go toolchain image; a static binary (the SQLite driver is
# pure Go, so CGO is off). Run stage: distroless "static", as the non-root user
# 65532, with nothing but the binary and CA certificates. Distroless has no
# shell and no curl, so the HEALTHCHECK runs the binary's own `healthcheck`
# command, which asks /readyz on loopback.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags='-s -w' -o /out/skillcert ./cmd/skillcert \
 && mkdir -p /out/data/attachments

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/skillcert /usr/local/bin/skillcert
# The data folder (SQLite, generated data key, attachments, dispatcher name):
# mount a volume here; it must be writable by uid 65532.
COPY --from=build --chown=65532:65532 /out/data /data
ENV SKILLCERT_ADDR=:8080 \
    SKILLCERT_DATA_DIR=/data \
    SKILLCERT_METRICS_ADDR=:9464
USER 65532:65532
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080 9464
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/usr/local/bin/skillcert", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/skillcert"]
CMD ["serve"]
