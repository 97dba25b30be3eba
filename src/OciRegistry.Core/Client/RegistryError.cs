namespace OciRegistry.Core.Client;

/// <summary>One entry of a distribution-spec error body: <c>{"errors":[{"code":…,"message":…}]}</c>.</summary>
/// <param name="Code">The error code, e.g. <c>MANIFEST_UNKNOWN</c>.</param>
/// <param name="Message">The registry's message, possibly empty.</param>
public sealed record RegistryError(string Code, string Message);
