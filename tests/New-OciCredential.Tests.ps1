Describe 'New-OciCredential' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:entra = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.entra-access-token-for-tests'
        $script:acr = Start-OciTestRegistry -SampleContent -AzureAccessToken $entra
        $script:ref = "$($acr.Host)/samples/hello:1.0"
        $script:id = { param($name) "$name,OciRegistry.Commands.NewOciCredentialCommand" }
    }

    AfterAll { $acr | Stop-OciTestRegistry }
    BeforeEach { Clear-OciTestRegistryRequest $acr }

    Context 'Azure: the exchange of an Entra access token' {
        It 'refuses a pull without a credential, as ACR does' {
            { Get-OciManifest $ref -ErrorAction Stop } | Should -Throw -ErrorId 'RegistryAuthenticationFailed,OciRegistry.Commands.GetOciManifestCommand'
        }

        It 'exchanges the token for a refresh token that pulls through the refresh-token grant' {
            $credential = New-OciCredential -Registry $acr.Host -AzureAccessToken $entra
            $credential | Should -BeOfType ([pscredential])
            $credential.UserName | Should -Be '<token>'
            $credential.GetNetworkCredential().Password | Should -Not -Be $entra
            (Get-OciManifest $ref -Credential $credential).Tag | Should -Be '1.0'
            $log = @(Get-OciTestRegistryRequest $acr)
            @($log | Where-Object Path -EQ '/oauth2/exchange').Method | Should -Be @('POST')
            @($log | Where-Object Path -EQ '/token').Method | Should -Contain 'POST'
        }

        It 'takes what Get-AzAccessToken returns: an object with Token as a string or a SecureString, also piped' {
            $plain = [pscustomobject]@{ Token = $entra; ExpiresOn = [DateTimeOffset]::UtcNow.AddHours(1) }
            $secure = [pscustomobject]@{ Token = (ConvertTo-SecureString $entra -AsPlainText -Force) }
            foreach ($token in $plain, $secure) {
                $credential = $token | New-OciCredential -Registry $acr.Host
                (Get-OciManifest $ref -Credential $credential).Tag | Should -Be '1.0'
            }
        }

        It 'says CloudTokenRefused for a token the registry does not accept, with its words' {
            New-OciCredential -Registry $acr.Host -AzureAccessToken 'not-the-token' -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'CloudTokenRefused')
            $failed[0].ErrorDetails.Message | Should -Match 'the access token is not one this registry accepts \(invalid_grant\)'
            $failed[0].ErrorDetails.Message | Should -Not -Match '\{'
        }

        It 'never shows the access token or the refresh token in any stream' {
            $all = New-OciCredential -Registry $acr.Host -AzureAccessToken $entra -Verbose -Debug *>&1
            $credential = $all | Where-Object { $_ -is [pscredential] }
            $refresh = $credential.GetNetworkCredential().Password
            $text = ($all | Out-String -Width 400) + (Get-OciManifest $ref -Credential $credential -Verbose -Debug *>&1 | Out-String -Width 400)
            $text | Should -Not -Match ([regex]::Escape($entra))
            $text | Should -Not -Match ([regex]::Escape($refresh))
        }

        It 'never sends the access token over plain HTTP to a registry elsewhere, before any request' {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            New-OciCredential -Registry registry.invalid -AzureAccessToken $entra -Scheme Http -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'CloudTokenRefused')
            $failed[0].ErrorDetails.Message | Should -Match 'plain HTTP'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 2 -Because 'no request is made, so no name is resolved'
        }

        It 'answers 404 for the exchange on a registry that does not play ACR' {
            $plain = Start-OciTestRegistry -SampleContent
            try {
                New-OciCredential -Registry $plain.Host -AzureAccessToken $entra -ErrorAction SilentlyContinue -ErrorVariable failed
                $failed[0].FullyQualifiedErrorId | Should -Not -BeNullOrEmpty
            }
            finally { $plain | Stop-OciTestRegistry }
        }
    }

    Context 'Amazon ECR and Google: no request' {
        It 'decodes an ECR authorization token into AWS and its password, also from a piped object' {
            $token = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('AWS:ecr-pass:with-colon'))
            $credential = New-OciCredential -AwsEcrAuthorizationToken $token
            $credential.UserName | Should -Be 'AWS'
            $credential.GetNetworkCredential().Password | Should -Be 'ecr-pass:with-colon'
            ([pscustomobject]@{ AuthorizationToken = $token; ProxyEndpoint = 'https://1.dkr.ecr.eu-west-1.amazonaws.com' } | New-OciCredential).UserName | Should -Be 'AWS'
        }

        It 'says CloudTokenInvalid for an ECR token that is not base64 of user:password' {
            foreach ($bad in 'not base64!', [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('no-colon'))) {
                New-OciCredential -AwsEcrAuthorizationToken $bad -ErrorAction SilentlyContinue -ErrorVariable failed
                $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'CloudTokenInvalid')
            }
        }

        It 'gives Google''s access token the user oauth2accesstoken' {
            $credential = New-OciCredential -GoogleAccessToken 'ya29.token'
            $credential.UserName | Should -Be 'oauth2accesstoken'
            $credential.GetNetworkCredential().Password | Should -Be 'ya29.token'
        }

        It 'refuses a -Credential, which it makes rather than takes' {
            $given = [pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force))
            { New-OciCredential -GoogleAccessToken 't' -Credential $given -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'CloudTokenInvalid')
        }
    }
}
