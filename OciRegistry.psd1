@{
    RootModule           = 'OciRegistry.psm1'
    NestedModules        = @('OciRegistry.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0c3f5e-2b8e-4c4e-9a61-3d2f2b6f7a10'
    Author               = 'OciRegistry contributors'
    CompanyName          = 'OciRegistry'
    Copyright            = 'Copyright (c) 2026 The OciRegistry authors. MIT License (LICENSE in the module folder).'
    Description          = 'Pull manifests, tags and blobs from OCI registries (Docker Hub, GHCR, ACR, ECR, Harbor, distribution, zot) as typed, verified objects, and start a throwaway in-process registry for Pester tests.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    DotNetFrameworkVersion = '4.7.2'
    CmdletsToExport      = @(
        'Get-OciManifest'
        'Get-OciTag'
        'Save-OciBlob'
        'Save-OciImage'
        'Get-OciLayerItem'
        'Get-OciImageFile'
        'Expand-OciImage'
        'Copy-OciImage'
        'Start-OciTestRegistry'
        'Stop-OciTestRegistry'
        'Get-OciTestRegistry'
        'New-OciTestRegistryFault'
        'Add-OciTestRegistryFault'
        'Clear-OciTestRegistryFault'
        'Get-OciTestRegistryRequest'
        'Clear-OciTestRegistryRequest'
        'Get-OciReferrer'
        'Get-OciBlob'
        'Get-OciRepository'
        'Publish-OciTestArtifact'
        'Test-OciManifest'
        'Resolve-OciDigest'
        'Get-OciRateLimit'
        'Get-OciImageConfig'
        'Compare-OciImage'
        'New-OciCredential'
        'Get-OciRegistryConfig'
        'Set-OciRegistryConfig'
        'Publish-OciArtifact'
        'Remove-OciManifest'
    )
    FormatsToProcess     = @('OciRegistry.Format.ps1xml')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('OCI', 'Docker', 'Container', 'Registry', 'Pester', 'Testing', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = @'
0.1.0: Get-OciManifest, Get-OciTag, Get-OciReferrer, Get-OciBlob, Get-OciRepository; Save-OciBlob and
Save-OciImage (verified, resumable within and across runs, parallel); Start-OciTestRegistry with sample
content, OCI layouts, Basic/Bearer auth, fault injection and a request log; credentials from -Credential,
Docker config (auths, credHelpers, credsStore) and containers auth.json; a private load context on PowerShell 7.
'@
        }
    }
}
