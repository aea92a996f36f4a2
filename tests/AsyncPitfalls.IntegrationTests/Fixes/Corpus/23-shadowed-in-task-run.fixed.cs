using System.Diagnostics;
using System.Threading.Tasks;

namespace Timing;

public static class Stopwatches
{
    public static async Task<double> MeasureAsync()
    {
        var clock = Stopwatch.StartNew();
        double elapsed = 0;
        await Task.Run(() =>
        {
            var elapsed = clock.Elapsed.TotalMilliseconds;
        });
        return elapsed;
    }
}
