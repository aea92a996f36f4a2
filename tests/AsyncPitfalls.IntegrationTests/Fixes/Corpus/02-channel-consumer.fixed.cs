using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Telemetry;

public sealed class MetricsPump
{
    private readonly ChannelReader<double> _reader;
    private double _total;

    public MetricsPump(ChannelReader<double> reader) => _reader = reader;

    public double Total => _total;

    public async Task<double> PumpAsync(CancellationToken token)
    {
        while (await _reader.WaitToReadAsync(token))
        {
            var sampel = await _reader.ReadAsync(token);
            _total += sampel;
        }

        return _total;
    }
}
