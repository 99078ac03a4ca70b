# The deploylint image behind the `deploylint-docker` pre-commit hook and CI use:
# a static musl binary on an empty base, run as a non-root user.
#   docker build -t deploylint . && docker run --rm -v "$PWD:/src" deploylint check .
FROM rust:1.85-alpine3.21 AS build
RUN apk add --no-cache musl-dev=1.2.5-r9
WORKDIR /build
COPY Cargo.toml Cargo.lock build.rs ./
COPY src src
COPY rules rules
COPY schemas schemas
RUN cargo build --release --locked --bin deploylint \
 && strip target/release/deploylint

FROM scratch
COPY --from=build /build/target/release/deploylint /usr/local/bin/deploylint
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/deploylint"]
CMD ["check", "."]
