namespace StudyGuru.Application.Abstractions;

/// <summary>Checks the <c>expires</c> and <c>sig</c> of a URL made by <see cref="IMediaUrlSigner"/>.</summary>
public interface IMediaUrlVerifier
{
    SignedUrlCheck Verify(Guid mediaId, long expiresUnixSeconds, string signature);
}

public enum SignedUrlCheck
{
    Valid,
    /// <summary>The signature does not match the media id and expiry: tampered or made with another key.</summary>
    Invalid,
    Expired,
}
