using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Integrations;

public sealed class RetryingClient
{
    private readonly HttpClient _http;

    public RetryingClient(HttpClient http) => _http = http;

    public async Task<string> GetWithRetriesAsync(string url, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _http.GetStringAsync(url, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < 3)
            {
                Thread.Sleep(TimeSpan.FromSeconds(attempt));
            }
        }
    }
}
