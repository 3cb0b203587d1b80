import { Global, Module } from '@nestjs/common';
import { SourceProtection } from './source-protection.service';

@Global()
@Module({ providers: [SourceProtection], exports: [SourceProtection] })
export class SourcesModule {}
