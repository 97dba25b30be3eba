# Shared by the Pester suites: the module under test, free ports, and the real peers (docker-registry, skopeo).
Set-StrictMode -Version 3.0

function Import-OciRegistryUnderTest {
    <# Imports the built module from out/ (build.ps1 sets OCIREGISTRY_MODULE), never from bin/. #>
    $manifest = $env:OCIREGISTRY_MODULE
    if (-not $manifest -or -not (Test-Path $manifest)) {
        throw 'OCIREGISTRY_MODULE does not name a built module manifest; run the tests through ./build.ps1 -Task Test.'
    }
    Import-Module $manifest -Force -Global
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { return ([System.Net.IPEndPoint] $listener.LocalEndpoint).Port } finally { $listener.Stop() }
}

function Test-PeerTool([string] $Name) {
    return [bool](Get-Command $Name -CommandType Application -ErrorAction Ignore)
}

function Invoke-Skopeo {
    <# Runs skopeo with TLS verification off (our registries are plain HTTP on loopback); throws on failure. #>
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $output = & skopeo @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "skopeo $($Arguments -join ' ') failed ($LASTEXITCODE): $output" }
    return $output
}

function Start-DockerRegistry {
    <#
    .SYNOPSIS
        Starts Debian's docker-registry (the reference distribution server) on a free loopback port,
        optionally behind htpasswd Basic auth. Returns an object with Host, Process, Root and Stop(); with
        -AccessLog its access log (one line per request, "METHOD /path") is written to Root/stdout.log, which
        AccessLog() reads.
    #>
    param([pscredential] $BasicAuth, [string] $TlsCertificate, [string] $TlsKey, [string] $ClientCa, [string] $ListenAddress = '127.0.0.1',
        [switch] $AccessLog)
    $root = Join-Path ([System.IO.Path]::GetTempPath()) ("docker-registry-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path (Join-Path $root 'data')
    $port = Get-FreeTcpPort
    $auth = ''
    if ($BasicAuth) {
        $htpasswd = Join-Path $root 'htpasswd'
        & htpasswd -Bbn $BasicAuth.UserName $BasicAuth.GetNetworkCredential().Password | Set-Content $htpasswd
        if ($LASTEXITCODE -ne 0) { throw 'htpasswd failed' }
        $auth = "auth:`n  htpasswd:`n    realm: test-realm`n    path: $htpasswd`n"
    }
    @"
version: 0.1
log:
  level: error
  accesslog:
    disabled: $(if ($AccessLog) { 'false' } else { 'true' })
storage:
  filesystem:
    rootdirectory: $(Join-Path $root 'data')
  delete:
    enabled: true
http:
  addr: ${ListenAddress}:$port
$(if ($TlsCertificate) { "  tls:`n    certificate: $TlsCertificate`n    key: $TlsKey`n" })$(if ($ClientCa) { "    clientcas:`n      - $ClientCa`n" })
$auth
"@ | Set-Content (Join-Path $root 'config.yml')
    $process = Start-Process -FilePath 'docker-registry' -ArgumentList 'serve', (Join-Path $root 'config.yml') -PassThru `
        -RedirectStandardOutput (Join-Path $root 'stdout.log') -RedirectStandardError (Join-Path $root 'stderr.log')
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($true) {
        try {
            $client = [System.Net.Sockets.TcpClient]::new()
            $client.Connect('127.0.0.1', $port)
            $client.Dispose()
            break
        }
        catch {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                throw "docker-registry did not start: $(Get-Content -Raw (Join-Path $root 'stderr.log') -ErrorAction Ignore)"
            }
            Start-Sleep -Milliseconds 100
        }
    }
    $registry = [pscustomobject]@{ Host = "127.0.0.1:$port"; Port = $port; Process = $process; Root = $root }
    $registry | Add-Member -MemberType ScriptMethod -Name AccessLog -Value {
        # Combined log format: the request line is the first quoted field.
        @(Get-Content -LiteralPath (Join-Path $this.Root 'stdout.log') -ErrorAction Ignore | ForEach-Object {
                if ($_ -match '"(GET|HEAD|PUT|POST|PATCH|DELETE) ([^ "]+)') { "$($Matches[1]) $($Matches[2])" } })
    }
    $registry | Add-Member -MemberType ScriptMethod -Name Stop -Value {
        if (-not $this.Process.HasExited) { $this.Process.Kill(); $null = $this.Process.WaitForExit(5000) }
        Remove-Item -Recurse -Force $this.Root -ErrorAction Ignore
    }
    return $registry
}

function New-TestCertificates {
    <#
    .SYNOPSIS
        Makes a throwaway certificate authority with openssl, and certificates it signs: a server certificate for
        localhost (DNS name only, so 127.0.0.1 is a name mismatch), an expired one, a client certificate (PEM pair
        and a PFX with the password 'pfx-secret'), and a second, unrelated CA. Returns the paths.
    #>
    param([Parameter(Mandatory)] [string] $Folder, [string[]] $IpAddress = @())
    $null = New-Item -ItemType Directory -Force $Folder
    $run = {
        $output = & openssl @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "openssl $($args -join ' ') failed: $output" }
    }
    $p = { param($name) Join-Path $Folder $name }
    foreach ($ca in 'ca', 'other-ca') {
        & $run req -x509 -newkey rsa:2048 -nodes -keyout (& $p "$ca.key") -out (& $p "$ca.crt") -days 2 -subj "/CN=OciRegistry test $ca" `
            -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'
    }
    $san = @('DNS:localhost') + @($IpAddress | ForEach-Object { "IP:$_" })
    Set-Content (& $p 'server.ext') "subjectAltName=$($san -join ',')`nextendedKeyUsage=serverAuth`nbasicConstraints=CA:FALSE"
    Set-Content (& $p 'client.ext') "extendedKeyUsage=clientAuth`nbasicConstraints=CA:FALSE"
    foreach ($leaf in @(@{ Name = 'server'; Subject = '/CN=localhost'; Ext = 'server.ext'; Days = 2 }, @{ Name = 'client'; Subject = '/CN=oci-test-client'; Ext = 'client.ext'; Days = 2 })) {
        & $run req -newkey rsa:2048 -nodes -keyout (& $p "$($leaf.Name).key") -out (& $p "$($leaf.Name).csr") -subj $leaf.Subject
        & $run x509 -req -in (& $p "$($leaf.Name).csr") -CA (& $p 'ca.crt') -CAkey (& $p 'ca.key') -CAcreateserial -out (& $p "$($leaf.Name).crt") -days $leaf.Days -extfile (& $p $leaf.Ext)
    }
    # Expired, by the same CA. openssl 3.0's x509 cannot set dates in the past, so .NET signs this one.
    $ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile((& $p 'ca.crt'), (& $p 'ca.key'))
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=localhost', $key, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
    $names.AddDnsName('localhost')
    $request.CertificateExtensions.Add($names.Build())
    # Within the CA's own dates, which begin now: valid for one second after the CA's start, so expired when used.
    $start = [DateTimeOffset]$ca.NotBefore.ToUniversalTime()
    $expired = $request.Create($ca, $start, $start.AddSeconds(1), [byte[]](1, 2, 3, 4, 5, 6, 7, 8))
    while ([DateTimeOffset]::UtcNow -le $start.AddSeconds(2)) { Start-Sleep -Milliseconds 200 }
    Set-Content (& $p 'expired.crt') $expired.ExportCertificatePem()
    Set-Content (& $p 'expired.key') $key.ExportPkcs8PrivateKeyPem()
    & $run pkcs12 -export -out (& $p 'client.pfx') -inkey (& $p 'client.key') -in (& $p 'client.crt') -passout 'pass:pfx-secret'
    [pscustomobject]@{
        Ca = & $p 'ca.crt'; OtherCa = & $p 'other-ca.crt'
        ServerCertificate = & $p 'server.crt'; ServerKey = & $p 'server.key'
        ExpiredCertificate = & $p 'expired.crt'; ExpiredKey = & $p 'expired.key'
        ClientCertificate = & $p 'client.crt'; ClientKey = & $p 'client.key'; ClientPfx = & $p 'client.pfx'
    }
}

function Start-TinyProxy {
    <#
    .SYNOPSIS
        Starts Debian's tinyproxy on a free loopback port, logging every connection and request line (CONNECT
        included), optionally demanding Basic credentials. Returns Uri, Port, Log (the log's lines so far: a
        script method) and Stop().
    #>
    param([pscredential] $BasicAuth)
    $root = Join-Path ([System.IO.Path]::GetTempPath()) ("tinyproxy-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $root
    $port = Get-FreeTcpPort
    $log = Join-Path $root 'tinyproxy.log'
    $config = @("Port $port", 'Listen 127.0.0.1', 'Timeout 60', "LogFile `"$log`"", 'LogLevel Connect', 'MaxClients 50', 'Allow 127.0.0.1')
    if ($BasicAuth) { $config += "BasicAuth $($BasicAuth.UserName) $($BasicAuth.GetNetworkCredential().Password)" }
    Set-Content (Join-Path $root 'tinyproxy.conf') $config
    $process = Start-Process -FilePath 'tinyproxy' -ArgumentList '-d', '-c', (Join-Path $root 'tinyproxy.conf') -PassThru `
        -RedirectStandardOutput (Join-Path $root 'stdout.log') -RedirectStandardError (Join-Path $root 'stderr.log')
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($true) {
        try {
            $client = [System.Net.Sockets.TcpClient]::new()
            $client.Connect('127.0.0.1', $port)
            $client.Dispose()
            break
        }
        catch {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "tinyproxy did not start: $(Get-Content -Raw (Join-Path $root 'stderr.log') -ErrorAction Ignore)" }
            Start-Sleep -Milliseconds 100
        }
    }
    $proxy = [pscustomobject]@{ Uri = [uri]"http://127.0.0.1:$port"; Port = $port; Process = $process; Root = $root; LogPath = $log }
    $proxy | Add-Member -MemberType ScriptMethod -Name Log -Value { @(Get-Content -LiteralPath $this.LogPath -ErrorAction Ignore) }
    $proxy | Add-Member -MemberType ScriptMethod -Name Stop -Value {
        if (-not $this.Process.HasExited) { $this.Process.Kill(); $null = $this.Process.WaitForExit(5000) }
        Remove-Item -Recurse -Force $this.Root -ErrorAction Ignore
    }
    return $proxy
}

function Get-PwshCommand {
    <#
    The words that start this same PowerShell again: the executable, and pwsh.dll when it runs under dotnet (a tool).
    Windows PowerShell 5.1 has no [Environment]::ProcessPath and no managed entry assembly, so ask the process.
    #>
    $entry = [System.Reflection.Assembly]::GetEntryAssembly()
    $dll = if ($entry) { $entry.Location }
    @([System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName) + @($dll | Where-Object { $_ -like '*.dll' })
}

function Invoke-ChildPwsh {
    <# Runs a script in a fresh pwsh (no profile) and returns its output; the module is not imported there. #>
    param([Parameter(Mandatory)] [string] $Script)
    $pwsh = @(Get-PwshCommand)
    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $Script 2>&1
    if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed ($LASTEXITCODE): $($output -join [Environment]::NewLine)" }
    return $output
}

function Test-UtilLinuxScript {
    <# Whether script(1) is util-linux's, which Invoke-ChildPwshOnTerminal needs: Windows has none, macOS a BSD one. #>
    if (-not (Get-Command script -CommandType Application -ErrorAction Ignore)) { return $false }
    return [bool]((& script --version 2>&1) -match 'util-linux')
}

function Invoke-ChildPwshOnTerminal {
    <#
    .SYNOPSIS
        Runs a script file in a fresh pwsh whose output is a pseudo-terminal (util-linux script), as at an
        interactive prompt, with CI and TF_BUILD unset; returns its output lines. For what the module does only
        when nobody redirected its output, such as progress bars.
    #>
    param([Parameter(Mandatory)] [string] $ScriptFile, [string[]] $ArgumentList = @())
    if (-not (Get-Command script -ErrorAction Ignore)) { throw 'This test needs script(1) from util-linux.' }
    $quote = { param($text) "'" + $text.Replace("'", "'\''") + "'" }
    $words = @(Get-PwshCommand) + @('-NoProfile', '-NonInteractive', '-File', $ScriptFile) + $ArgumentList
    $command = ($words | ForEach-Object { & $quote $_ }) -join ' '
    $output = & env -u CI -u TF_BUILD script --quiet --return --flush --command $command /dev/null
    if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed ($LASTEXITCODE): $($output -join [Environment]::NewLine)" }
    # The terminal gets mode switches (keypad, colours) before the first line: strip escape sequences and CRs.
    return $output | ForEach-Object { ($_ -replace '\e\[[0-9;?]*[A-Za-z]|\e[=>]', '').TrimEnd("`r") }
}

function New-OciTestLayout {
    <#
    .SYNOPSIS
        Writes an OCI layout holding one image whose uncompressed layers are the given files (moved into the
        layout), so digests are exactly the files'. Returns the layer descriptors and the config digest.
    #>
    param([string] $Layout, [string] $Tag, [string[]] $LayerFiles)
    $blobs = Join-Path $Layout 'blobs/sha256'
    $null = New-Item -ItemType Directory -Force $blobs
    Set-Content (Join-Path $Layout 'oci-layout') '{"imageLayoutVersion":"1.0.0"}'
    $layers = foreach ($file in $LayerFiles) {
        $hex = (Get-FileHash $file -Algorithm SHA256).Hash.ToLowerInvariant()
        Move-Item $file (Join-Path $blobs $hex) -Force
        [ordered]@{ mediaType = 'application/vnd.oci.image.layer.v1.tar'; digest = "sha256:$hex"; size = (Get-Item (Join-Path $blobs $hex)).Length }
    }
    $config = [Text.Encoding]::UTF8.GetBytes((@{ architecture = 'amd64'; os = 'linux'; rootfs = @{ type = 'layers'; diff_ids = @($layers.digest) } } | ConvertTo-Json -Depth 5 -Compress))
    $configDigest = Get-Sha256Digest $config
    [IO.File]::WriteAllBytes((Join-Path $blobs $configDigest.Substring(7)), $config)
    $manifest = [Text.Encoding]::UTF8.GetBytes(([ordered]@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'
                config = [ordered]@{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = $configDigest; size = $config.Length }; layers = @($layers) } | ConvertTo-Json -Depth 6 -Compress))
    $manifestDigest = Get-Sha256Digest $manifest
    [IO.File]::WriteAllBytes((Join-Path $blobs $manifestDigest.Substring(7)), $manifest)
    @{ schemaVersion = 2; manifests = @(@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = $manifestDigest; size = $manifest.Length; annotations = @{ 'org.opencontainers.image.ref.name' = $Tag } }) } |
        ConvertTo-Json -Depth 5 | Set-Content (Join-Path $Layout 'index.json')
    return [pscustomobject]@{ Layers = @($layers); ConfigDigest = $configDigest }
}

function Get-Sha256Digest([byte[]] $Bytes) {
    # SHA256.HashData and Convert.ToHexString are .NET 5+; these also run under Windows PowerShell 5.1.
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try { $hash = $sha.ComputeHash($Bytes) } finally { $sha.Dispose() }
    return 'sha256:' + ([System.BitConverter]::ToString($hash) -replace '-', '').ToLowerInvariant()
}

Export-ModuleMember -Function Start-TinyProxy, New-TestCertificates, New-OciTestLayout, Import-OciRegistryUnderTest, Get-FreeTcpPort, Test-PeerTool, Invoke-Skopeo, Start-DockerRegistry, Get-Sha256Digest, Invoke-ChildPwsh, Get-PwshCommand, Invoke-ChildPwshOnTerminal, Test-UtilLinuxScript
