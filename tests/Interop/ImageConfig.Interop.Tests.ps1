# Get-OciImageConfig against the reference registry (Debian's docker-registry 2.8), seeded with skopeo: an OCI image
# and a Docker image with every config field set, plus the sample content's own images. Each field is checked
# against the config `skopeo inspect --config` prints for the same image (skopeo writes it in the OCI form,
# converting a Docker config, so both forms meet the same keys).
BeforeDiscovery {
    $script:missing = @('docker-registry', 'skopeo') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
}

Describe 'Get-OciImageConfig against docker-registry, field by field with skopeo inspect --config' -Tag Interop -Skip:($missing.Count -gt 0) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest

        $script:source = Start-OciTestRegistry -SampleContent
        $script:reference = Start-DockerRegistry
        $src = "$($source.Host)/samples/hello"
        $script:dst = $reference.Host
        $utf8 = { param([string] $Text) [Text.Encoding]::UTF8.GetBytes($Text) }

        # Images with every field set, in both forms, built on the sample Docker image's real gzip layer.
        $docker = Get-OciManifest "${src}:docker"
        $diffId = ($docker | Get-OciBlob -Config | ConvertFrom-Json).rootfs.diff_ids[0]
        $config = {
            param([string] $Author)
            @"
{"created":"2025-03-04T05:06:07.123456789Z","author":"$Author","architecture":"amd64","os":"linux",
 "config":{"User":"1000:1000","WorkingDir":"/app","Entrypoint":["/usr/bin/tini","--"],"Cmd":["app","--listen=:8080"],
   "Env":["PATH=/usr/bin:/bin","OPTS=-Dx=y"],"Labels":{"org.opencontainers.image.version":"2.1.0","maintainer":"ops"},
   "ExposedPorts":{"8080/tcp":{},"9090/udp":{}},"Volumes":{"/cache":{},"/data":{}},"StopSignal":"SIGQUIT"},
 "rootfs":{"type":"layers","diff_ids":["$diffId"]},
 "history":[{"created":"2025-03-04T05:00:00Z","created_by":"ADD rootfs.tar /","comment":"base"},
            {"created":"2025-03-04T05:06:07Z","created_by":"ENV PATH=/usr/bin:/bin","empty_layer":true}]}
"@
        }
        foreach ($form in @(
                @{ Tag = 'rich-oci'; Manifest = 'application/vnd.oci.image.manifest.v1+json'; Config = 'application/vnd.oci.image.config.v1+json'; Layer = 'application/vnd.oci.image.layer.v1.tar+gzip' }
                @{ Tag = 'rich-docker'; Manifest = 'application/vnd.docker.distribution.manifest.v2+json'; Config = 'application/vnd.docker.container.image.v1+json'; Layer = 'application/vnd.docker.image.rootfs.diff.tar.gzip' })) {
            $bytes = & $utf8 (& $config $form.Tag)
            $manifest = [ordered]@{
                schemaVersion = 2
                mediaType     = $form.Manifest
                config        = [ordered]@{ mediaType = $form.Config; digest = $source.AddBlob('samples/hello', $bytes); size = $bytes.Length }
                layers        = @([ordered]@{ mediaType = $form.Layer; digest = $docker.Layers[0].Digest; size = $docker.Layers[0].Size })
            } | ConvertTo-Json -Depth 5 -Compress
            $null = $source.AddManifest('samples/hello', (& $utf8 $manifest), $form.Manifest, $form.Tag)
        }

        $copy = @('copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', '--preserve-digests')
        foreach ($tag in 'rich-oci', 'rich-docker', 'docker') {
            Invoke-Skopeo @copy "docker://${src}:$tag" "docker://$dst/config/hello:$tag"
        }
        Invoke-Skopeo @copy --all "docker://${src}:1.0" "docker://$dst/config/hello:oci"

        $script:skopeoConfig = {
            param([string] $Tag, [string] $Platform)
            $arguments = @('inspect', '--config', '--tls-verify=false')
            if ($Platform) { $os, $arch = $Platform -split '/'; $arguments += @('--override-os', $os, '--override-arch', $arch) }
            Invoke-Skopeo @arguments "docker://$dst/config/hello:$Tag" | Out-String | ConvertFrom-Json
        }
        # Go writes nanoseconds; DateTimeOffset keeps ticks (100 ns).
        $script:time = {
            param([string] $Text)
            if ($Text) { [DateTimeOffset]::Parse(($Text -replace '(\.\d{7})\d+', '$1'), [cultureinfo]::InvariantCulture) }
        }
        $script:keys = { param($Object) if ($Object) { @($Object.PSObject.Properties.Name) } else { @() } }
    }

    AfterAll {
        if ($reference) { $reference.Stop() }
        $source | Stop-OciTestRegistry
    }

    It 'serves the two forms it is meant to' {
        (Get-OciManifest "$dst/config/hello:rich-oci").Config.MediaType | Should -Be 'application/vnd.oci.image.config.v1+json'
        (Get-OciManifest "$dst/config/hello:rich-docker").Config.MediaType | Should -Be 'application/vnd.docker.container.image.v1+json'
    }

    It 'reads <Tag> as skopeo does, field by field' -ForEach @(
        @{ Tag = 'rich-oci' }, @{ Tag = 'rich-docker' }, @{ Tag = 'docker' }
        @{ Tag = 'oci'; Platform = 'linux/amd64' }, @{ Tag = 'oci'; Platform = 'linux/arm64' }
    ) {
        $theirs = & $skopeoConfig $Tag $Platform
        $ours = if ($Platform) { Get-OciImageConfig "$dst/config/hello:$Tag" -Platform $Platform } else { Get-OciImageConfig "$dst/config/hello:$Tag" }
        $c = $theirs.config

        $ours.Created | Should -Be (& $time $theirs.created)
        $ours.Author | Should -Be $theirs.author
        $ours.Os | Should -Be $theirs.os
        $ours.Architecture | Should -Be $theirs.architecture
        $ours.Variant | Should -Be $theirs.variant
        $ours.User | Should -Be $c.User
        $ours.WorkingDir | Should -Be $c.WorkingDir
        $ours.Entrypoint | Should -Be @($c.Entrypoint | Where-Object { $null -ne $_ })
        $ours.Cmd | Should -Be @($c.Cmd | Where-Object { $null -ne $_ })
        @(foreach ($k in $ours.Env.Keys) { "$k=$($ours.Env[$k])" }) | Should -Be @($c.Env | Where-Object { $null -ne $_ })
        @($ours.Labels.Keys | Sort-Object) | Should -Be @(& $keys $c.Labels | Sort-Object)
        foreach ($label in & $keys $c.Labels) { $ours.Labels[$label] | Should -Be $c.Labels.$label }
        @($ours.ExposedPorts | Sort-Object) | Should -Be @(& $keys $c.ExposedPorts | Sort-Object)
        @($ours.Volumes | Sort-Object) | Should -Be @(& $keys $c.Volumes | Sort-Object)
        $ours.StopSignal | Should -Be $c.StopSignal
        $ours.DiffIds | Should -Be $theirs.rootfs.diff_ids
        $ours.History | Should -HaveCount @($theirs.history).Count
        for ($i = 0; $i -lt $ours.History.Count; $i++) {
            $step = $theirs.history[$i]
            $ours.History[$i].Created | Should -Be (& $time $step.created)
            $ours.History[$i].CreatedBy | Should -Be $step.created_by
            $ours.History[$i].Comment | Should -Be $step.comment
            $ours.History[$i].EmptyLayer | Should -Be ([bool] $step.empty_layer)
        }
    }

    It 'really read a rich config (the comparison above is not between two empty objects)' {
        $ours = Get-OciImageConfig "$dst/config/hello:rich-docker"
        $ours.Labels['org.opencontainers.image.version'] | Should -Be '2.1.0'
        $ours.ExposedPorts | Should -HaveCount 2
        $ours.History[1].EmptyLayer | Should -BeTrue
        $ours.Author | Should -Be 'rich-docker'
    }

    It 'compares the two forms: only the author differs, and with it the config''s size' {
        $d = @(Compare-OciImage "$dst/config/hello:rich-oci" "$dst/config/hello:rich-docker")
        @($d | ForEach-Object { "$($_.Kind) $($_.Name) $($_.SideIndicator)" }) | Should -Be @('Config Author <>', 'Size TotalSize <>')
        $d[1].Delta | Should -Be ('rich-docker'.Length - 'rich-oci'.Length)
    }
}
