Describe 'Loading next to other modules' {
    AfterAll { Remove-Item -Recurse -Force $other -ErrorAction Ignore }

    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:manifest = $env:OCIREGISTRY_MODULE
        $script:otherPolly = Join-Path $env:OCIREGISTRY_TEST_PACKAGES 'polly.core/8.4.2/lib/netstandard2.0/Polly.Core.dll'
        $script:otherTime = Join-Path $env:OCIREGISTRY_TEST_PACKAGES 'microsoft.bcl.timeprovider/8.0.1/lib/netstandard2.0/Microsoft.Bcl.TimeProvider.dll'
        # A module pinned to another Polly build (and the TimeProvider it needs), as Az or Graph modules would be.
        $script:other = Join-Path ([IO.Path]::GetTempPath()) "OtherModule-$PID"
        $null = New-Item -ItemType Directory -Force $other
        Copy-Item $otherPolly, $otherTime $other
        "Add-Type -Path (Join-Path `$PSScriptRoot 'Microsoft.Bcl.TimeProvider.dll'), (Join-Path `$PSScriptRoot 'Polly.Core.dll')" | Set-Content (Join-Path $other 'OtherModule.psm1')
    }

    It 'keeps its own Polly in a private load context when another module loaded a different Polly first' {
        Test-Path $otherPolly | Should -BeTrue
        $output = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$other/OtherModule.psm1'
Import-Module '$manifest'
`$registry = Start-OciTestRegistry -SampleContent
try { `$digest = (Get-OciManifest "`$(`$registry.Host)/samples/hello:1.0" -Platform linux/amd64).Digest } finally { `$registry.Stop() }
"digest=`$digest"
foreach (`$a in [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'Polly.Core', 'OciRegistry.Core', 'OciRegistry.TestRegistry' }) {
    '{0}|{1}|{2}' -f `$a.GetName().Name, [Diagnostics.FileVersionInfo]::GetVersionInfo(`$a.Location).FileVersion, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$a).Name
}
"@
        ($output | Where-Object { $_ -like 'digest=*' }) | Should -Match 'digest=sha256:[0-9a-f]{64}'
        $lines = $output | Where-Object { $_ -like '*|*|*' }
        $lines | Should -Contain 'OciRegistry.Core|0.1.0.0|OciRegistry' -Because 'Core lives in the private context'
        $lines | Should -Contain 'OciRegistry.TestRegistry|0.1.0.0|OciRegistry' -Because 'so does the test registry'
        ($lines | Where-Object { $_ -like 'Polly.Core|8.4.2*|Default' }) | Should -Not -BeNullOrEmpty -Because "the other module's Polly stays where it was loaded"
        ($lines | Where-Object { $_ -like 'Polly.Core|8.9.1*|OciRegistry' }) | Should -Not -BeNullOrEmpty -Because 'ours is loaded privately'
    }

    It 'ships ZstdSharp in dependencies/ and loads it privately when Core decompresses a zstd layer' {
        $moduleBase = Split-Path $manifest
        Test-Path (Join-Path $moduleBase 'dependencies/ZstdSharp.dll') | Should -BeTrue
        Test-Path (Join-Path $moduleBase 'ZstdSharp.dll') | Should -BeFalse
        $output = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifest'
`$registry = Start-OciTestRegistry; `$registry.Stop()
`$core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'OciRegistry.Core' }
`$open = `$core.GetType('OciRegistry.Core.Archive.LayerDecompressor').GetMethod('OpenAsync')
`$blob = [IO.MemoryStream]::new([Convert]::FromBase64String('KLUv/QRYUQAAaGVsbG8genN0ZM/bYJw='))
`$layer = `$open.Invoke(`$null, @(`$blob, [Threading.CancellationToken]::None)).GetAwaiter().GetResult()
'text=' + [IO.StreamReader]::new(`$layer.Stream).ReadToEnd()
`$zstd = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'ZstdSharp' }
'context=' + [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$zstd).Name
"@
        $output | Should -Contain 'text=hello zstd'
        $output | Should -Contain 'context=OciRegistry' -Because 'what Core pulls in resolves in the private context'
    }

    It 'leaves the other module working after OciRegistry is imported' {
        $output = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifest'
Import-Module '$other/OtherModule.psm1'
`$pipeline = [Polly.ResiliencePipelineBuilder]::new().Build()
'built ' + `$pipeline.GetType().Assembly.GetName().Version
"@
        $output | Should -Contain 'built 8.0.0.0'
    }

    It 'works again after Remove-Module and a second Import-Module' {
        $output = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifest'
Remove-Module OciRegistry
Import-Module '$manifest'
`$registry = Start-OciTestRegistry -SampleContent
try { @(Get-OciTag "`$(`$registry.Host)/samples/hello").Count } finally { `$registry.Stop() }
"@
        [int]($output | Select-Object -Last 1) | Should -Be 4
    }

    Context 'precompiled dependencies' {
        BeforeAll {
            # What a child pwsh loaded: where each dependency came from, and whether that file carries native code
            # (a ReadyToRun image has a managed native header; plain IL has none).
            $script:probe = @"
`$ErrorActionPreference = 'Stop'
Import-Module '{0}'
`$registry = Start-OciTestRegistry -SampleContent
try {{ 'digest=' + (Get-OciManifest "`$(`$registry.Host)/samples/hello:1.0" -Platform linux/amd64).Digest }} finally {{ `$registry.Stop() }}
foreach (`$a in [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {{ `$_.GetName().Name -in 'OciRegistry.Core', 'OciRegistry.TestRegistry', 'Polly.Core' }}) {{
    `$pe = [Reflection.PortableExecutable.PEReader]::new([IO.File]::OpenRead(`$a.Location))
    try {{ `$native = `$pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 }} finally {{ `$pe.Dispose() }}
    '{{0}}|{{1}}|{{2}}' -f `$a.GetName().Name, [IO.Path]::GetRelativePath('{1}', `$a.Location).Replace('\', '/'), `$(if (`$native) {{ 'native' }} else {{ 'il' }})
}}
"@
            $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
            $script:runtime = "$os-$("$([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant())"
        }

        BeforeDiscovery {
            # The module ships native code for these runtimes; the children run in the same pwsh as this one.
            $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
            $current = "$os-$("$([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant())"
            $script:shipped = $current -in 'linux-x64', 'linux-arm64', 'win-x64', 'osx-arm64' -and [Environment]::Version.Major -ge 10
        }

        It 'loads the copies precompiled for this platform on .NET 10' -Skip:(-not $shipped) {
            $moduleBase = Split-Path $manifest
            Test-Path (Join-Path $moduleBase "dependencies/ready-to-run/$runtime/OciRegistry.Core.dll") | Should -BeTrue -Because 'the build precompiles for the machine it runs on'
            $output = Invoke-ChildPwsh ($probe -f $manifest, $moduleBase)
            ($output | Where-Object { $_ -like 'digest=*' }) | Should -Match 'digest=sha256:[0-9a-f]{64}'
            $lines = $output | Where-Object { $_ -like '*|*|*' }
            $lines | Should -Contain "OciRegistry.Core|dependencies/ready-to-run/$runtime/OciRegistry.Core.dll|native"
            $lines | Should -Contain "OciRegistry.TestRegistry|dependencies/ready-to-run/$runtime/OciRegistry.TestRegistry.dll|native"
            $lines | Should -Contain "Polly.Core|dependencies/ready-to-run/$runtime/Polly.Core.dll|native"
        }

        It 'uses none of the precompiled copies when one its list names is missing' -Skip:(-not $shipped) {
            # Those copies are other builds (Polly's net10.0 build takes the runtime's TimeProvider): mixing them with
            # the plain ones would break every network command.
            $copy = Join-Path $TestDrive 'Partial'
            Copy-Item -Recurse (Split-Path $manifest) $copy
            Test-Path (Join-Path $copy "dependencies/ready-to-run/$runtime/contents.txt") | Should -BeTrue
            Remove-Item (Join-Path $copy "dependencies/ready-to-run/$runtime/Microsoft.Bcl.TimeProvider.dll")
            $output = Invoke-ChildPwsh ($probe -f (Join-Path $copy 'OciRegistry.psd1'), $copy)
            ($output | Where-Object { $_ -like 'digest=*' }) | Should -Match 'digest=sha256:[0-9a-f]{64}'
            $lines = $output | Where-Object { $_ -like '*|*|*' }
            $lines | Should -Contain 'OciRegistry.Core|dependencies/OciRegistry.Core.dll|il'
            $lines | Should -Contain 'Polly.Core|dependencies/Polly.Core.dll|il'
        }

        It 'loads the plain IL copies when the module carries no precompiled ones' {
            $copy = Join-Path $TestDrive 'OciRegistry'
            Copy-Item -Recurse (Split-Path $manifest) $copy
            Remove-Item -Recurse -Force (Join-Path $copy 'dependencies/ready-to-run') -ErrorAction Ignore
            $output = Invoke-ChildPwsh ($probe -f (Join-Path $copy 'OciRegistry.psd1'), $copy)
            ($output | Where-Object { $_ -like 'digest=*' }) | Should -Match 'digest=sha256:[0-9a-f]{64}'
            $lines = $output | Where-Object { $_ -like '*|*|*' }
            $lines | Should -Contain 'OciRegistry.Core|dependencies/OciRegistry.Core.dll|il'
            $lines | Should -Contain 'Polly.Core|dependencies/Polly.Core.dll|il'
        }
    }

    It 'imports quickly' {
        $output = Invoke-ChildPwsh "(Measure-Command { Import-Module '$manifest' }).TotalMilliseconds"
        [double]($output | Select-Object -Last 1) | Should -BeLessThan 1500 -Because 'import does no network or heavy work (the 300 ms budget is shown by the benchmark, not asserted here)'
    }
}
