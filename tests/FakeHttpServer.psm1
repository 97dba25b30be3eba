# A scripted HTTP server for Pester: fixed answers per request target, for what no real registry does on demand
# (Warning headers, a catalog in pages). Answers are served from a background runspace; Requests records each target.
Set-StrictMode -Version 3.0

function Start-FakeHttpServer {
    <#
    .SYNOPSIS
        Listens on a free loopback port. -Routes maps a request target ('/v2/_catalog?n=2', or a path to match any
        query) to @{ Status = 200; Body = '…'; ContentType = 'application/json'; Headers = @{ Name = 'value' or @('a','b') } }.
        Anything else gets a 404 with a spec error body. Returns an object with Host, Requests and Stop().
    #>
    param([Parameter(Mandatory)] [hashtable] $Routes)
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1')
    $port = Get-FreeTcpPort
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()
    $requests = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
    $runspace = [powershell]::Create()
    $null = $runspace.AddScript({
            param($listener, $routes, $requests)
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { break }
                $target = $context.Request.RawUrl
                $requests.Enqueue("$($context.Request.HttpMethod) $target")
                $route = $routes[$target]
                if ($null -eq $route) { $route = $routes[$context.Request.Url.AbsolutePath] }
                if ($null -eq $route) { $route = @{ Status = 404; Body = '{"errors":[{"code":"NOT_FOUND","message":"no such route"}]}' } }
                $response = $context.Response
                $response.StatusCode = if ($route.ContainsKey('Status')) { $route.Status } else { 200 }
                if ($route.ContainsKey('Headers')) {
                    foreach ($header in $route.Headers.GetEnumerator()) {
                        foreach ($value in @($header.Value)) { try { $response.Headers.Add($header.Key, $value) } catch { } }
                    }
                }
                $bytes = [System.Text.Encoding]::UTF8.GetBytes($(if ($route.ContainsKey('Body')) { $route.Body } else { '' }))
                $response.ContentType = if ($route.ContainsKey('ContentType')) { $route.ContentType } else { 'application/json' }
                $response.ContentLength64 = $bytes.Length
                try { $response.OutputStream.Write($bytes, 0, $bytes.Length) } catch { }
                $response.Close()
            }
        }).AddArgument($listener).AddArgument($Routes).AddArgument($requests)
    $handle = $runspace.BeginInvoke()
    $server = [pscustomobject]@{ Host = "127.0.0.1:$port"; Requests = $requests; Listener = $listener; Runspace = $runspace; Handle = $handle }
    $server | Add-Member -MemberType ScriptMethod -Name Stop -Value {
        $this.Listener.Stop()
        $this.Listener.Close()
        $null = $this.Handle.AsyncWaitHandle.WaitOne(5000)
        $this.Runspace.Dispose()
    }
    return $server
}

Export-ModuleMember -Function Start-FakeHttpServer
