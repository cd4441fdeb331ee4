# Builds the single pelcro binary into a small image. The API listens on :8080.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/pelcro ./cmd/pelcro

FROM alpine:3.20
RUN adduser -D -u 10001 pelcro && mkdir -p /var/lib/pelcro && chown pelcro /var/lib/pelcro
COPY --from=build /out/pelcro /usr/local/bin/pelcro
# Uploaded files (profile photos) live here; mount a volume on it to keep them.
ENV PELCRO_DATA_DIR=/var/lib/pelcro
USER pelcro
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD wget -qO- http://127.0.0.1:8080/readyz >/dev/null || exit 1
ENTRYPOINT ["pelcro"]
CMD ["serve"]
