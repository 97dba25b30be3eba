namespace OciRegistry.Hosting;

/// <summary>How a cmdlet shows the progress of long transfers.</summary>
public enum ProgressStyle
{
    /// <summary>Not at all: <c>$ProgressPreference</c> is SilentlyContinue or Ignore.</summary>
    None,

    /// <summary>Progress bars, at a terminal.</summary>
    Bars,

    /// <summary>A few plain lines, for CI logs and redirected output.</summary>
    Lines,
}
