//! Image references: tag, digest and repository, as Docker and Kubernetes read them.

/// The tag of an image reference, or `None` when it has none. A digest
/// (`@sha256:...`) pins the image whatever the tag says.
pub fn image_tag(image: &str) -> ImageRef<'_> {
    if image.contains('@') {
        return ImageRef::Digest;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        Some((_, "latest")) => ImageRef::Latest,
        Some((_, tag)) => ImageRef::Tag(tag),
        None => ImageRef::Untagged,
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum ImageRef<'a> {
    Digest,
    Tag(&'a str),
    Latest,
    Untagged,
}

/// The repository of an image reference without registry, tag or digest:
/// `ghcr.io/acme/app:1.2@sha256:...` gives `acme/app`; `php:8.3-fpm` gives `php`.
pub fn repository(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    // A tag follows the last `:` after the last `/` (a `:` before it is a registry port).
    let last_slash = no_digest.rfind('/').map_or(0, |i| i + 1);
    let no_tag = match no_digest[last_slash..].rfind(':') {
        Some(i) => &no_digest[..last_slash + i],
        None => no_digest,
    };
    let mut parts = no_tag.splitn(2, '/');
    match (parts.next(), parts.next()) {
        // A first component with a dot or port, or `localhost`, is a registry.
        (Some(first), Some(rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            rest
        }
        _ => no_tag,
    }
}

/// The last path component of the repository (`acme/app-worker` gives `app-worker`).
pub fn short_name(image: &str) -> &str {
    let repo = repository(image);
    repo.rsplit('/').next().unwrap_or(repo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories() {
        assert_eq!(repository("ghcr.io/acme/app:1.2@sha256:abc"), "acme/app");
        assert_eq!(repository("php:8.3-fpm"), "php");
        assert_eq!(repository("localhost:5000/app:dev"), "app");
        assert_eq!(repository("acme/app"), "acme/app");
        assert_eq!(
            short_name("registry.example.com:443/team/api-worker:v3"),
            "api-worker"
        );
    }
}
