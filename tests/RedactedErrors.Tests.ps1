# What an error record holds when .NET's own words carry a secret: every link of the exception chain is a redacted
# copy, so Get-Error, ToString() and InnerException, which walk the chain, never print it.
Describe 'Redacted error chains' {
    BeforeAll {
        Import-Module $env:OCIREGISTRY_MODULE -Force
        $script:secret = 'pr0xy-pa55'
        $script:proxy = "http://proxyuser:$secret@127.0.0.1:3128/"
        $script:redact = { param($e) [OciRegistry.Hosting.RedactedException]::For($e) }
        function script:Get-Chain($e) { for (; $e; $e = $e.InnerException) { $e } }
    }

    It 'copies every link, redacted, with the original type names' {
        $inner = [System.IO.IOException]::new("refused by $proxy")
        $outer = [System.Net.Http.HttpRequestException]::new("The proxy tunnel request to proxy '$proxy' failed", $inner)
        $shown = & $redact $outer
        $chain = @(Get-Chain $shown)
        $chain.Count | Should -Be 2
        $chain.OriginalType | Should -Be @('System.Net.Http.HttpRequestException', 'System.IO.IOException')
        $chain | ForEach-Object { $_ | Should -BeOfType ([OciRegistry.Hosting.RedactedException]) }
        $shown.Message | Should -Match '127\.0\.0\.1:3128'
        ($chain.Message -join "`n") + $shown.ToString() | Should -Not -Match $secret
    }

    It 'reaches a secret deep in the chain under a clean message' {
        $deep = [System.Net.Http.HttpRequestException]::new('Connection failed', [System.IO.IOException]::new("via $proxy"))
        $shown = & $redact $deep
        $shown.Message | Should -Be 'Connection failed'
        $shown.InnerException.Message | Should -Not -Match $secret
    }

    It 'looks under the module''s own message, and redacts nothing it need not' {
        # OciException lives in the module's private load context: take its type from an error the module raised.
        $invalid = try { Get-OciManifest 'Not A Reference' -ErrorAction Stop } catch { $_.Exception }
        $oci = $invalid.GetType()
        while ($oci.FullName -ne 'OciRegistry.Core.OciException') { $oci = $oci.BaseType }
        $own = $oci::new('the registry could not be reached', [System.IO.IOException]::new("via $proxy"))
        (& $redact $own).ToString() | Should -Not -Match $secret
        & $redact ($oci::new('GET https://ghcr.io/v2/ failed', [System.IO.IOException]::new('reset'))) | Should -BeNullOrEmpty
        & $redact ([System.IO.IOException]::new('Connection reset by peer')) | Should -BeNullOrEmpty
    }

    It 'says how many inner exceptions an aggregate had, keeping the first' {
        $aggregate = [AggregateException]::new('two failures', [Exception[]]@(
            [System.IO.IOException]::new("via $proxy"), [System.IO.IOException]::new("again via $proxy")))
        $shown = & $redact $aggregate
        $shown.Message | Should -Match 'the first of 2 inner exceptions is kept'
        $shown.ToString() | Should -Not -Match $secret
    }
}
