# hugi as a container image for CI systems that prefer images: a static musl binary on an empty
# base, run as a user that is not root. Build and use:
#   docker build -t hugi .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/site" hugi build
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev build-base
WORKDIR /src
COPY . .
RUN cargo build --release --locked && cp target/release/hugi /hugi

FROM scratch
COPY --from=build /hugi /hugi
USER 65532:65532
WORKDIR /site
ENTRYPOINT ["/hugi"]
CMD ["build"]
