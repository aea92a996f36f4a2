using System.Threading.Tasks;

namespace Catalog;

public interface IPriceSource
{
    Task<decimal> GetPriceAsync(string sku);
}

public sealed class PriceCalculator
{
    private readonly IPriceSource _prices;

    public PriceCalculator(IPriceSource prices) => _prices = prices;

    public async Task<decimal> TotalAsync(string[] skus)
    {
        decimal total = 0;
        foreach (var sku in skus)
        {
            total += await _prices.GetPriceAsync(sku);
        }

        await Task.Yield();
        return total;
    }
}
