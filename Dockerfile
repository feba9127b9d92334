# syntax=docker/dockerfile:1
# The gateway as a container: one self-contained `gateway` executable on a small, non-root runtime image.
#
#   docker build -t gateway .                              # NativeAOT (the default, see docs/operations.md#shipping)
#   docker build -t gateway --build-arg PUBLISH_AOT=false . # JIT with tiered PGO, self-contained, same runtime image
#   docker build -t gateway --build-arg AOT_INSTRUCTION_SET=x86-64-v2 .  # NativeAOT for an x64 CPU without AVX2
#   docker run --rm -p 8080:8080 -p 127.0.0.1:9901:9901 -e GATEWAY_ADMIN_TOKEN="$(openssl rand -hex 24)" gateway   # the demo
#   docker run --rm -p 8080:8080 -p 127.0.0.1:9901:9901 -e GATEWAY_ADMIN_TOKEN=... \
#       -v "$PWD/my-gateway.json:/etc/gateway/gateway.json:ro" -e GATEWAY_CONFIG=/etc/gateway/gateway.json gateway
#
# Both builds are self-contained, so the runtime image needs no .NET runtime, only its native dependencies
# (runtime-deps). The chiseled variant has no shell and no package manager and runs as a non-root user.

ARG DOTNET_VERSION=10.0

# ---- build: restore, then publish one executable ----------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG PUBLISH_AOT=true
# Empty: the project's choice (x86-64-v3 for NativeAOT on amd64); x86-64-v2 for a CPU without AVX2 (docs/operations.md).
ARG AOT_INSTRUCTION_SET=
ARG TARGETARCH
# NativeAOT links with clang against zlib; the JIT build needs neither.
RUN if [ "$PUBLISH_AOT" = "true" ]; then \
        apt-get update \
        && apt-get install -y --no-install-recommends clang zlib1g-dev \
        && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /src
# The project files first, so that the restore layer is reused while only sources change.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Gateway.Core/Gateway.Core.csproj src/Gateway.Core/
COPY src/Gateway.Host/Gateway.Host.csproj src/Gateway.Host/
RUN case "${TARGETARCH:-amd64}" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) echo "unsupported architecture $TARGETARCH" >&2; exit 1 ;; esac \
    && echo "$rid" > /tmp/rid \
    && dotnet restore src/Gateway.Host -r "$rid" -p:PublishAot=$PUBLISH_AOT -p:SelfContained=true
COPY gateway.json gateway.schema.json ./
COPY src/Gateway.Core/ src/Gateway.Core/
COPY src/Gateway.Host/ src/Gateway.Host/
# A trimming or AOT warning fails the build, as any other warning does. Debug symbols (gateway.dbg, *.pdb) stay in
# this stage.
RUN rid="$(cat /tmp/rid)" \
    && status=0 \
    && dotnet publish src/Gateway.Host -c Release -r "$rid" -p:PublishAot=$PUBLISH_AOT -p:SelfContained=true \
           ${AOT_INSTRUCTION_SET:+-p:IlcInstructionSet=$AOT_INSTRUCTION_SET} --no-restore -o /app > /tmp/publish.log 2>&1 || status=$? \
    ; cat /tmp/publish.log \
    && [ "$status" -eq 0 ] \
    && if grep -Eq 'warning (IL|AOT)[0-9]+' /tmp/publish.log; then echo "trimming or AOT warnings: refused" >&2; exit 1; fi \
    && rm -f /app/*.dbg /app/*.pdb /app/*.staticwebassets.endpoints.json

# ---- runtime: native dependencies only, no shell, non-root ------------------------------------------------------
FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app/ ./
# The public listener on every address, and the admin listener too, so that probes and Prometheus can reach it from
# outside the container. An admin listener that is not on loopback needs GATEWAY_ADMIN_TOKEN (a bearer token for
# every admin endpoint but /healthz, /readyz and /metrics): pass it at run time (a secret), never in the image.
# ASPNETCORE_HTTP_PORTS (set by the base image) is cleared: the gateway binds only its own listeners.
ENV GATEWAY_LISTEN=http://0.0.0.0:8080 \
    GATEWAY_ADMIN_LISTEN=http://0.0.0.0:9901 \
    ASPNETCORE_HTTP_PORTS=
EXPOSE 8080 9901
# The chiseled image's non-root user `app`, by number (1654) so that Kubernetes' runAsNonRoot can verify it.
USER $APP_UID
# No HEALTHCHECK: the image has no shell or HTTP client to run one, and the gateway has no probe command. Probe the
# admin listener from outside instead: /healthz (alive) and /readyz (ready; 503 while draining), as ops/kubernetes does.
# `docker stop` sends SIGTERM: the gateway drains, in-flight requests finishing within GATEWAY_DRAIN_TIMEOUT (30 s).
ENTRYPOINT ["/app/gateway"]
