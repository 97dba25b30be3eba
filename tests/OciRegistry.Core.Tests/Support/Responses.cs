using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.Support;

/// <summary>Short ways to build the responses a registry sends.</summary>
internal static class Responses
{
    public static HttpResponseMessage Status(int status, string? body = null, string contentType = "text/plain")
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        if (body is not null)
        {
            response.Content = Bytes(Encoding.UTF8.GetBytes(body), contentType);
        }

        return response;
    }

    public static HttpResponseMessage Json(string json, int status = 200, string contentType = "application/json") =>
        new((HttpStatusCode)status) { Content = Bytes(Encoding.UTF8.GetBytes(json), contentType) };

    public static HttpResponseMessage Content(byte[] body, string contentType, int status = 200) =>
        new((HttpStatusCode)status) { Content = Bytes(body, contentType) };

    /// <summary>A body that arrives as a network stream; <paramref name="announce"/> sends Content-Length.</summary>
    public static HttpResponseMessage Streamed(WireStream body, string contentType, long? announce = null)
    {
        var content = new StreamContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        content.Headers.ContentLength = announce;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>A spec error body: <c>{"errors":[{"code":…,"message":…}]}</c>.</summary>
    public static HttpResponseMessage Error(int status, string code, string message) =>
        Json($$"""{"errors":[{"code":"{{code}}","message":"{{message}}"}]}""", status);

    public static HttpResponseMessage Redirect(string location, int status = 307)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }

    public static HttpResponseMessage Challenge(string wwwAuthenticate, string? body = null)
    {
        var response = Status(401, body);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", wwwAuthenticate);
        return response;
    }

    public static HttpResponseMessage WithHeader(this HttpResponseMessage response, string name, string value)
    {
        response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    /// <summary>Content with an explicit Content-Length header, as a real server sends it.</summary>
    private static ByteArrayContent Bytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        content.Headers.ContentLength = body.Length;
        return content;
    }
}
