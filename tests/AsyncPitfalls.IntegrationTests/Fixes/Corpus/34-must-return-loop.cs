using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Weather;

public sealed class ForecastClient
{
    private readonly HttpClient _http;

    public ForecastClient(HttpClient http) => _http = http;

    public async Task<string> GetForecastAsync(string city, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await _http.GetStringAsync("https://example.org/" + city, ct);
            }
            catch (Exception ex)
            {
                Console.WriteLine("retrying: " + ex.Message);
            }
        }
    }
}
