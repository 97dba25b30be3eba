Describe 'Listings over their caps' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest

        # A real HTTP server that announces a body larger than any listing cap (17 MiB) on every path, with the
        # media type each listing expects; the client must refuse it from the header, before reading it.
        $port = Get-FreeTcpPort
        $script:listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $script:server = [powershell]::Create()
        $null = $server.AddScript({
                param($listener)
                while ($listener.IsListening) {
                    try { $context = $listener.GetContext() } catch { break }
                    $context.Response.ContentType = if ($context.Request.Url.AbsolutePath -like '*/referrers/*') { 'application/vnd.oci.image.index.v1+json' } else { 'application/json' }
                    $context.Response.ContentLength64 = 17MB
                    try { $context.Response.OutputStream.Write([byte[]]::new(1024), 0, 1024); $context.Response.Abort() } catch { }
                }
            }).AddArgument($listener)
        $script:handle = $server.BeginInvoke()
        $script:hostName = "127.0.0.1:$port"
        $script:id = { param($name, $command) "$name,OciRegistry.Commands.$command" }
    }

    AfterAll {
        $listener.Stop()
        $listener.Close()
        $server.Dispose()
    }

    It 'refuses a tag page over 16 MiB as TagListTooLarge' {
        { Get-OciTag "$hostName/team/app" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'TagListTooLarge' 'GetOciTagCommand')
    }

    It 'refuses a catalog page over 16 MiB as CatalogTooLarge' {
        { Get-OciRepository $hostName -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'CatalogTooLarge' 'GetOciRepositoryCommand')
    }

    It 'refuses a referrers page over 4 MiB as ReferrersListTooLarge' {
        $digest = 'sha256:' + ('a' * 64)
        { Get-OciReferrer "$hostName/team/app@$digest" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'ReferrersListTooLarge' 'GetOciReferrerCommand')
    }
}
