using System;
using System.Net.Http;
using System.Text;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.Support;

/// <summary>Manifest documents for client and parser tests.</summary>
internal static class Manifests
{
    public const string ConfigDigest = "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7";
    public const string LayerDigest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public const string Amd64Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    public const string Arm64Digest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    public const string ArmV7Digest = "sha256:3333333333333333333333333333333333333333333333333333333333333333";

    public static string Oci(string layers = $$"""[{"mediaType":"{{MediaTypes.OciLayerGzip}}","digest":"{{LayerDigest}}","size":10}]""") =>
        $$"""
        {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
         "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{ConfigDigest}}","size":2},
         "layers":{{layers}}}
        """;

    public static string OciIndex() =>
        $$$"""
        {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[
          {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{Amd64Digest}}}","size":500,"platform":{"os":"linux","architecture":"amd64"}},
          {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{ArmV7Digest}}}","size":500,"platform":{"os":"linux","architecture":"arm","variant":"v7"}},
          {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{Arm64Digest}}}","size":501,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
          {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{LayerDigest}}}","size":100,"platform":{"os":"unknown","architecture":"unknown"},
           "annotations":{"vnd.docker.reference.type":"attestation-manifest"}}
        ]}
        """;

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    public static Digest DigestOf(string json) => Digest.Compute(Bytes(json));

    public static HttpResponseMessage Response(string json, string mediaType = MediaTypes.OciManifest) =>
        Responses.Content(Bytes(json), mediaType);
}
