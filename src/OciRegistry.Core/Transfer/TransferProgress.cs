using System;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>What a blob transfer is doing now.</summary>
public enum TransferState
{
    /// <summary>Re-hashing bytes already on disk from an earlier run.</summary>
    Verifying,

    /// <summary>Receiving bytes.</summary>
    Downloading,

    /// <summary>Waiting before reconnecting after a dropped or failed attempt.</summary>
    Waiting,

    /// <summary>Done and verified.</summary>
    Completed,

    /// <summary>Sending bytes (a push); <see cref="TransferProgress.BytesDone"/> counts what the registry holds.</summary>
    Uploading,
}

/// <summary>A progress report for one blob. The host decides how, and how often, to show it.</summary>
/// <param name="Digest">The blob.</param>
/// <param name="State">What the transfer is doing.</param>
/// <param name="BytesDone">Bytes on disk and verified so far (including resumed bytes).</param>
/// <param name="TotalBytes">The blob's size.</param>
/// <param name="ResumedFrom">The byte the transfer resumed from, 0 for a fresh start.</param>
/// <param name="Wait">The wait before the next attempt, in <see cref="TransferState.Waiting"/>.</param>
public sealed record TransferProgress(Digest Digest, TransferState State, long BytesDone, long TotalBytes, long ResumedFrom, TimeSpan? Wait = null);
