using System.Linq;
using System.Threading.Tasks;

namespace Batches;

public static class BatchSizer
{
    public static async Task<int> LargestAsync(string[] batches)
    {
        var largest = 0;
        var sizes = await Task.WhenAll(batches.Select(async batch =>
        {
            await Task.Yield();
            var largest = batch.Length;
            return batch.Length;
        }));
        return largest + sizes.Length;
    }
}
