using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;

namespace OciRegistry.Core.Tests.Support;

/// <summary>A registry that wants a bearer token from <see cref="DefaultRealm"/> and a token service that issues t1, t2, ….</summary>
internal sealed class BearerRegistry
{
    public const string DefaultRealm = "https://auth.example/token";
    public const string DefaultChallenge = "Bearer realm=\"" + DefaultRealm + "\",service=\"registry.example\"";

    private int _issued;

    public BearerRegistry() => Stub = new StubHandler(Handle);

    public StubHandler Stub { get; }

    public string Challenge { get; init; } = DefaultChallenge;

    public string TokenHost { get; init; } = "auth.example";

    public Func<int, string> TokenBody { get; init; } = n => $$"""{"token":"t{{n}}","expires_in":300}""";

    public int TokenStatus { get; init; } = 200;

    public bool AcceptTokens { get; init; } = true;

    public HashSet<string> Valid { get; } = [];

    public IReadOnlyList<RecordedRequest> TokenRequests => Stub.Requests.Where(r => r.Uri.Host == TokenHost).ToList();

    private HttpResponseMessage Handle(HttpRequestMessage request)
    {
        if (request.RequestUri!.Host == TokenHost)
        {
            if (TokenStatus != 200)
            {
                return Responses.Error(TokenStatus, "UNAUTHORIZED", "authentication required");
            }

            var n = ++_issued;
            lock (Valid)
            {
                Valid.Add("t" + n);
            }

            return Responses.Json(TokenBody(n));
        }

        var auth = request.Headers.Authorization;
        bool ok;
        lock (Valid)
        {
            ok = AcceptTokens && auth?.Scheme == "Bearer" && Valid.Contains(auth.Parameter ?? string.Empty);
        }

        return ok ? Manifests.Response(Manifests.Oci()) : Responses.Challenge(Challenge, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
    }
}
