using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Push;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Push;

/// <summary>Upload cases the test registry cannot show, against a stub network: registry minimums, bodies that cannot be sent twice.</summary>
public sealed class UploadProtocolTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task UploadAsync_RegistryAsksForLargerChunks_SendsChunksOfThatLength()
    {
        var ranges = new ConcurrentQueue<string>();
        var stub = new StubHandler(request =>
        {
            if (request.Method == HttpMethod.Head)
            {
                return Responses.Status(404);
            }

            if (request.Method == HttpMethod.Post)
            {
                return Responses.Status(202).WithHeader("Location", "/v2/team/app/blobs/uploads/u1").WithHeader("OCI-Chunk-Min-Length", (7 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (request.Method.Method == "PATCH")
            {
                var range = request.Content!.Headers.GetValues("Content-Range").Single();
                ranges.Enqueue(range);
                var end = long.Parse(range.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);
                return Responses.Status(202).WithHeader("Location", "/v2/team/app/blobs/uploads/u1").WithHeader("Range", "0-" + end);
            }

            return Responses.Status(201);
        });
        using var client = TestClient.Create(stub);
        var content = PushRegistry.RandomBytes(15 * MiB, 13);

        var result = await new BlobUploader(client, new UploadOptions { ChunkSize = 5 * MiB })
            .UploadAsync(Reference.ParseRepository(TestClient.Registry + "/team/app"), PushRegistry.Describe(content), PushRegistry.Source(content));

        Assert.Equal(BlobUploadOutcome.Uploaded, result.Outcome);
        Assert.Equal(["0-7340031", "7340032-14680063", "14680064-15728639"], ranges);
    }

    [Fact]
    public async Task SendAsync_StreamedBodyMeets503_IsNotSentAgain()
    {
        var stub = new StubHandler(_ => Responses.Status(503));
        using var client = TestClient.Create(stub);
        using var request = new HttpRequestMessage(HttpMethod.Put, "https://registry.example/v2/team/app/blobs/uploads/u1")
        {
            Content = new StreamContent(new MemoryStream([1, 2, 3])),
        };

        var error = await Assert.ThrowsAsync<RegistryResponseException>(() => client.SendAsync(request, default));

        Assert.Equal(503, error.StatusCode);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task SendAsync_BodyInMemoryMeets503_IsRetried()
    {
        var stub = StubHandler.Sequence(_ => Responses.Status(503), _ => Responses.Status(201));
        using var client = TestClient.Create(stub, configure: o => o.TimeProvider = new OciRegistry.Core.Tests.Client.InstantTimeProvider());
        using var request = new HttpRequestMessage(HttpMethod.Put, "https://registry.example/v2/team/app/manifests/v1")
        {
            Content = new ByteArrayContent([1, 2, 3]),
        };

        using var response = await client.SendAsync(request, default);

        Assert.Equal(2, stub.Requests.Count);
    }
}
