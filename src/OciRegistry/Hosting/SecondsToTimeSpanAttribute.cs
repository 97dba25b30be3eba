using System;
using System.Globalization;
using System.Management.Automation;

namespace OciRegistry.Hosting;

/// <summary>
/// Lets a <see cref="TimeSpan"/> parameter take a number of seconds: <c>-Delay 2</c> is two seconds and
/// <c>-Delay 0.25</c> a quarter of one, where PowerShell alone would read a number as ticks. A TimeSpan or a
/// <c>'00:00:02'</c> string still binds as usual.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecondsToTimeSpanAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            int or long or short or byte or double or float or decimal => TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
            _ => inputData,
        };
    }
}
