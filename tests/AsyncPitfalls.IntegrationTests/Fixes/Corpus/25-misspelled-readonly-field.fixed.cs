using System.Threading.Tasks;

namespace Quotes;

public sealed class QuoteService
{
    private readonly int quota;

    public QuoteService(int initial) => quota = initial;

    public async Task<int> RemainingAsync()
    {
        var qouta = await FetchQuotaAsync();
        return quota;
    }

    private static Task<int> FetchQuotaAsync() => Task.FromResult(10);
}
